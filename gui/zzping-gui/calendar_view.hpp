// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// CalendarView: the calendar heatmap, hour of day (rows) x day (columns), one cell per
// hour bucket coloured by loss % or p95 RTT (CalendarGrid); clicking a cell asks to show
// that hour. Painted with QPainter (a year is 8 760 rectangles).
#include <QWidget>

#include "calendar_grid.hpp"

namespace zzping::gui {

class CalendarView : public QWidget {
  Q_OBJECT

 public:
  explicit CalendarView(QWidget* parent = nullptr);

  void setGrid(CalendarGrid grid, CalendarMetric metric);
  const CalendarGrid& grid() const { return grid_; }
  // Where a cell is drawn (widget coordinates).
  QRect cellRect(int day, int hour) const;
  // Compact (4 px per hour), like the Summary it shares the bottom with: the plots keep the height.
  QSize sizeHint() const override { return {600, 24 * 4 + kTop + 4}; }

 signals:
  void hourClicked(qint64 start_ms);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;

 private:
  static constexpr int kLeft = 28;  // hour labels
  static constexpr int kTop = 16;   // date labels
  QColor colour(double value) const;
  std::pair<int, int> cellAt(QPoint pos) const;

  CalendarGrid grid_;
  CalendarMetric metric_ = CalendarMetric::kLossPct;
};

}  // namespace zzping::gui
