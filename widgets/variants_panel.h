#pragma once
// The base model and its variants in one table: name, what was done (plan summary), parameters,
// memory, and perplexity once measured. Plain data; the app adds rows as variants appear.

#include <QWidget>
#include <cmath>

class QLabel;
class QPushButton;
class QTableWidget;

namespace anatomist::widgets {

struct VariantRow {
    QString name;
    QString summary; // "base" or the plan in words
    qint64 parameters = 0;
    double bytes = 0;
    double perplexity = std::nan(""); // NaN: not measured
};

class VariantsPanel : public QWidget {
    Q_OBJECT
public:
    explicit VariantsPanel(QWidget* parent = nullptr);

    void clear();
    // Adds a row (or replaces the row of the same name).
    void setRow(const VariantRow& row);
    void setPerplexity(const QString& name, double perplexity);
    int rowCount() const { return int(m_rows.size()); }
    const VariantRow* row(const QString& name) const;
    QTableWidget* table() const { return m_table; }
    QPushButton* measureButton() const { return m_measure; }
    QPushButton* exportButton() const { return m_export; }
    // Names of the selected rows, in table order.
    QStringList selectedNames() const;
    void setMeasuring(bool measuring);

signals:
    // Perplexity of every row on the built-in sample.
    void measureRequested();
    // Two rows selected: open their comparison.
    void compareRequested(const QString& a, const QString& b);
    // The export dialog, with the selected row (or "" for none) preselected.
    void exportRequested(const QString& name);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void rebuild();

    QLabel* m_heading;
    QLabel* m_empty;
    QTableWidget* m_table;
    QPushButton* m_measure;
    QPushButton* m_export;
    QVector<VariantRow> m_rows;
};

} // namespace anatomist::widgets
