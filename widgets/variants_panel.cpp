#include "variants_panel.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace anatomist::widgets {

VariantsPanel::VariantsPanel(QWidget* parent)
    : QWidget(parent)
    , m_heading(new QLabel(this))
    , m_empty(new QLabel(this))
    , m_table(new QTableWidget(this))
    , m_measure(new QPushButton(this))
    , m_export(new QPushButton(this)) {
    QFont headingFont = m_heading->font();
    headingFont.setBold(true);
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.15);
    m_heading->setFont(headingFont);
    m_empty->setWordWrap(true);
    m_empty->setEnabled(false);
    m_table->setObjectName(QStringLiteral("variantsTable"));
    m_table->setColumnCount(5);
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_table, 1);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_empty, 1);
    bottom->addWidget(m_measure, 0, Qt::AlignRight);
    bottom->addWidget(m_export, 0, Qt::AlignRight);
    layout->addLayout(bottom);
    m_measure->setObjectName(QStringLiteral("measurePerplexity"));
    m_measure->setIcon(QIcon(QStringLiteral(":/icons/run.svg")));
    connect(m_measure, &QPushButton::clicked, this, &VariantsPanel::measureRequested);
    m_export->setObjectName(QStringLiteral("exportVariant"));
    m_export->setIcon(QIcon(QStringLiteral(":/icons/export.svg")));
    connect(m_export, &QPushButton::clicked, this,
            [this] { emit exportRequested(selectedNames().value(0)); });
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        const QStringList names = selectedNames();
        if (names.size() == 2)
            emit compareRequested(names[0], names[1]);
    });
    retranslate();
}

void VariantsPanel::clear() {
    m_rows.clear();
    rebuild();
}

void VariantsPanel::setRow(const VariantRow& row) {
    for (auto& r : m_rows)
        if (r.name == row.name) {
            r = row;
            rebuild();
            return;
        }
    m_rows.push_back(row);
    rebuild();
}

void VariantsPanel::setPerplexity(const QString& name, double perplexity) {
    for (auto& r : m_rows)
        if (r.name == name)
            r.perplexity = perplexity;
    rebuild();
}

const VariantRow* VariantsPanel::row(const QString& name) const {
    for (const auto& r : m_rows)
        if (r.name == name)
            return &r;
    return nullptr;
}

void VariantsPanel::rebuild() {
    const QLocale locale;
    m_table->setRowCount(int(m_rows.size()));
    const qint64 base = m_rows.isEmpty() ? 0 : m_rows.front().parameters;
    for (int i = 0; i < m_rows.size(); ++i) {
        const auto& r = m_rows[i];
        QString params = locale.toString(r.parameters);
        if (i > 0 && base > 0)
            params += QStringLiteral(" (%1 %)").arg(
                locale.toString(100.0 * double(r.parameters) / double(base), 'f', 1));
        const QStringList cells{
            r.name, r.summary, params,
            locale.formattedDataSize(qint64(r.bytes), 1, QLocale::DataSizeIecFormat),
            std::isnan(r.perplexity) ? tr("not measured") : locale.toString(r.perplexity, 'f', 2)};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c >= 2)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (c == 1)
                item->setToolTip(r.summary);
            m_table->setItem(i, c, item);
        }
    }
    m_empty->setVisible(m_rows.size() <= 1);
}

QStringList VariantsPanel::selectedNames() const {
    QStringList names;
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_table->item(i, 0) && m_table->item(i, 0)->isSelected())
            names << m_rows[i].name;
    return names;
}

void VariantsPanel::setMeasuring(bool measuring) {
    m_measure->setEnabled(!measuring);
}

void VariantsPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void VariantsPanel::retranslate() {
    m_heading->setText(tr("Base and variants"));
    m_table->setHorizontalHeaderLabels(
        {tr("Name"), tr("What was done"), tr("Parameters"), tr("Memory"), tr("Perplexity")});
    m_empty->setText(tr("No variants yet: mark what to remove in the module tree or the pruning "
                        "plan, then Apply."));
    m_measure->setText(tr("Measure perplexity"));
    m_measure->setToolTip(
        tr("Perplexity of the base and every variant on the built-in sample text"));
    m_export->setText(tr("Export…"));
    m_export->setToolTip(
        tr("Write the selected row as a Hugging Face folder or a GGUF file; select two rows to "
           "compare them"));
    rebuild();
}

} // namespace anatomist::widgets
