#include "playground_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace anatomist::widgets {

PlaygroundView::PlaygroundView(QWidget* parent)
    : QWidget(parent)
    , m_left(new QComboBox(this))
    , m_right(new QComboBox(this))
    , m_promptLabel(new QLabel(this))
    , m_prompt(new QLineEdit(this))
    , m_sampling(new QCheckBox(this))
    , m_temperatureLabel(new QLabel(this))
    , m_temperature(new QDoubleSpinBox(this))
    , m_seedLabel(new QLabel(this))
    , m_seed(new QSpinBox(this))
    , m_maxTokensLabel(new QLabel(this))
    , m_maxTokens(new QSpinBox(this))
    , m_generate(new QPushButton(this))
    , m_cancel(new QPushButton(this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this)) {
    m_left->setObjectName(QStringLiteral("playgroundLeft"));
    m_right->setObjectName(QStringLiteral("playgroundRight"));
    m_prompt->setObjectName(QStringLiteral("playgroundPrompt"));
    m_generate->setObjectName(QStringLiteral("playgroundGenerate"));
    m_generate->setIcon(QIcon(QStringLiteral(":/icons/run.svg")));
    m_cancel->setObjectName(QStringLiteral("playgroundCancel"));
    m_cancel->setEnabled(false);
    m_temperature->setRange(0.05, 5.0);
    m_temperature->setSingleStep(0.1);
    m_temperature->setValue(0.8);
    m_seed->setRange(0, 1'000'000'000);
    m_maxTokens->setRange(1, 2048);
    m_maxTokens->setValue(48);
    m_progress->setRange(0, 1000);
    m_progress->setVisible(false);
    m_progress->setMaximumWidth(160);
    m_status->setWordWrap(true);
    m_temperatureLabel->setBuddy(m_temperature);
    m_seedLabel->setBuddy(m_seed);
    m_maxTokensLabel->setBuddy(m_maxTokens);
    m_promptLabel->setBuddy(m_prompt);

    auto* grid = new QGridLayout;
    grid->addWidget(m_promptLabel, 0, 0);
    grid->addWidget(m_prompt, 0, 1, 1, 7);
    grid->addWidget(m_sampling, 1, 0, 1, 2);
    grid->addWidget(m_temperatureLabel, 1, 2);
    grid->addWidget(m_temperature, 1, 3);
    grid->addWidget(m_seedLabel, 1, 4);
    grid->addWidget(m_seed, 1, 5);
    grid->addWidget(m_maxTokensLabel, 1, 6);
    grid->addWidget(m_maxTokens, 1, 7);
    grid->setColumnStretch(1, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_progress);
    buttons->addWidget(m_generate);
    buttons->addWidget(m_cancel);

    auto* answers = new QHBoxLayout;
    QComboBox* picks[2] = {m_left, m_right};
    for (int i = 0; i < 2; ++i) {
        m_boxes[i] = new QGroupBox(this);
        m_answers[i] = new QPlainTextEdit(m_boxes[i]);
        m_answers[i]->setObjectName(i == 0 ? QStringLiteral("answerLeft")
                                           : QStringLiteral("answerRight"));
        m_answers[i]->setReadOnly(true);
        m_stats[i] = new QLabel(m_boxes[i]);
        auto* box = new QVBoxLayout(m_boxes[i]);
        box->addWidget(picks[i]);
        box->addWidget(m_answers[i], 1);
        box->addWidget(m_stats[i]);
        answers->addWidget(m_boxes[i], 1);
    }
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(grid);
    layout->addLayout(buttons);
    layout->addLayout(answers, 1);

    connect(m_sampling, &QCheckBox::toggled, this, &PlaygroundView::updateSampling);
    connect(m_prompt, &QLineEdit::returnPressed, m_generate, &QPushButton::click);
    connect(m_generate, &QPushButton::clicked, this, [this] { emit generateRequested(request()); });
    connect(m_cancel, &QPushButton::clicked, this, &PlaygroundView::cancelRequested);
    updateSampling();
    retranslate();
}

void PlaygroundView::setChoices(const QStringList& names) {
    const QString left = m_left->currentText(), right = m_right->currentText();
    for (QComboBox* box : {m_left, m_right}) {
        box->clear();
        box->addItems(names);
    }
    select(names.contains(left) ? left : names.value(0),
           names.contains(right) ? right : names.value(names.size() > 1 ? names.size() - 1 : 0));
}

void PlaygroundView::select(const QString& left, const QString& right) {
    m_left->setCurrentIndex(m_left->findText(left));
    m_right->setCurrentIndex(m_right->findText(right));
}

void PlaygroundView::setPrompt(const QString& prompt) {
    m_prompt->setText(prompt);
}

PlaygroundRequest PlaygroundView::request() const {
    PlaygroundRequest r;
    r.left = m_left->currentText();
    r.right = m_right->currentText();
    r.prompt = m_prompt->text();
    r.greedy = !m_sampling->isChecked();
    r.temperature = m_temperature->value();
    r.seed = quint64(m_seed->value());
    r.maxTokens = m_maxTokens->value();
    return r;
}

void PlaygroundView::setAnswer(int side, const PlaygroundAnswer& answer) {
    if (side < 0 || side > 1)
        return;
    m_shown[side] = answer;
    m_has[side] = true;
    m_answers[side]->setPlainText(answer.text);
    retranslate();
}

QString PlaygroundView::answerText(int side) const {
    return m_answers[side & 1]->toPlainText();
}

void PlaygroundView::clearAnswers() {
    for (int i = 0; i < 2; ++i) {
        m_has[i] = false;
        m_answers[i]->clear();
    }
    retranslate();
}

void PlaygroundView::setRunning(bool running) {
    m_generate->setEnabled(!running);
    m_cancel->setEnabled(running);
    m_progress->setVisible(running);
    m_progress->setValue(0);
}

void PlaygroundView::setProgress(double fraction) {
    m_progress->setValue(int(std::lround(1000 * std::clamp(fraction, 0.0, 1.0))));
}

void PlaygroundView::setStatus(const QString& text) {
    m_status->setText(text);
}

void PlaygroundView::updateSampling() {
    const bool sampling = m_sampling->isChecked();
    for (QWidget* w :
         std::initializer_list<QWidget*>{m_temperature, m_temperatureLabel, m_seed, m_seedLabel})
        w->setEnabled(sampling);
}

void PlaygroundView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void PlaygroundView::retranslate() {
    const QLocale locale;
    m_promptLabel->setText(tr("&Prompt:"));
    m_prompt->setPlaceholderText(tr("The start of a text both models continue"));
    m_sampling->setText(tr("&Sample (otherwise greedy)"));
    m_sampling->setToolTip(
        tr("Greedy takes the most likely token each step; sampling draws from the "
           "distribution at this temperature, reproducibly for a given seed"));
    m_temperatureLabel->setText(tr("&Temperature:"));
    m_seedLabel->setText(tr("S&eed:"));
    m_maxTokensLabel->setText(tr("&Max new tokens:"));
    m_generate->setText(tr("&Generate"));
    m_cancel->setText(tr("Cancel"));
    for (int i = 0; i < 2; ++i) {
        m_boxes[i]->setTitle(i == 0 ? tr("Left model") : tr("Right model"));
        const auto& a = m_shown[i];
        m_stats[i]->setText(m_has[i]
                                ? tr("%n new token(s) in %1 s · %2 tokens/s", nullptr, a.tokens)
                                      .arg(locale.toString(a.seconds, 'f', 2),
                                           locale.toString(a.tokensPerSecond, 'f', 1))
                                : tr("No answer yet"));
    }
}

} // namespace anatomist::widgets
