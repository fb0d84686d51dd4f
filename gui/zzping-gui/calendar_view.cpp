// SPDX-License-Identifier: GPL-3.0-or-later
#include "calendar_view.hpp"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <chrono>

namespace zzping::gui {

CalendarView::CalendarView(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setMinimumHeight(24 * 4 + kTop + 4);
}

void CalendarView::setGrid(CalendarGrid grid, CalendarMetric metric) {
  grid_ = std::move(grid);
  metric_ = metric;
  update();
}

QRect CalendarView::cellRect(int day, int hour) const {
  const int days = std::max(grid_.days(), 1);
  const double w = static_cast<double>(width() - kLeft - 2) / days;
  const double h = static_cast<double>(height() - kTop - 2) / 24.0;
  const int x0 = kLeft + static_cast<int>(day * w), x1 = kLeft + static_cast<int>((day + 1) * w);
  const int y0 = kTop + static_cast<int>(hour * h), y1 = kTop + static_cast<int>((hour + 1) * h);
  return QRect(QPoint(x0, y0), QPoint(std::max(x1 - 1, x0), std::max(y1 - 1, y0)));
}

std::pair<int, int> CalendarView::cellAt(QPoint pos) const {
  const int days = std::max(grid_.days(), 1);
  const double w = static_cast<double>(width() - kLeft - 2) / days;
  const double h = static_cast<double>(height() - kTop - 2) / 24.0;
  if (pos.x() < kLeft || pos.y() < kTop || w <= 0 || h <= 0) return {-1, -1};
  return {static_cast<int>((pos.x() - kLeft) / w), static_cast<int>((pos.y() - kTop) / h)};
}

// White through yellow to dark red: loss from 0 to 5 % at least (or the highest), p95 from
// the lowest to the highest hour shown (the daily pattern is what the eye looks for).
QColor CalendarView::colour(double value) const {
  const bool loss = metric_ == CalendarMetric::kLossPct;
  const double bottom = loss ? 0.0 : grid_.min_value();
  const double top = loss ? std::max(5.0, grid_.max_value()) : grid_.max_value();
  const double f = top > bottom ? std::clamp((value - bottom) / (top - bottom), 0.0, 1.0) : 0.0;
  if (f < 0.5) return QColor::fromRgbF(1.0F, 1.0F, static_cast<float>(1.0 - 2.0 * f));
  return QColor::fromRgbF(static_cast<float>(1.0 - 0.45 * (f - 0.5) * 2.0), static_cast<float>(1.0 - (f - 0.5) * 2.0), 0.0F);
}

void CalendarView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().window());
  if (grid_.days() == 0) {
    p.drawText(rect(), Qt::AlignCenter, "No hour buckets for this host");
    return;
  }
  const QColor empty(225, 225, 225);
  for (int d = 0; d < grid_.days(); ++d) {
    for (int h = 0; h < 24; ++h) {
      const auto v = grid_.value(d, h);
      p.fillRect(cellRect(d, h), v ? colour(*v) : empty);
    }
  }
  p.setPen(palette().windowText().color());
  for (int h = 0; h < 24; h += 6) {
    const QRect r = cellRect(0, h);
    p.drawText(QRect(0, r.top(), kLeft - 4, 14), Qt::AlignRight | Qt::AlignTop, QString("%1").arg(h, 2, 10, QChar('0')));
  }
  // A date label where there is room: every N days so labels do not overlap.
  const int label_px = fontMetrics().horizontalAdvance("2021-01-01") + 8;
  const int every = std::max(1, label_px / std::max(cellRect(0, 0).width() + 1, 1) + 1);
  for (int d = 0; d < grid_.days(); d += every) {
    const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{grid_.first_day() + d}}};
    const QString date = QString("%1-%2-%3")
                             .arg(static_cast<int>(ymd.year()))
                             .arg(static_cast<unsigned>(ymd.month()), 2, 10, QChar('0'))
                             .arg(static_cast<unsigned>(ymd.day()), 2, 10, QChar('0'));
    p.drawText(QPoint(cellRect(d, 0).left(), kTop - 4), date);
  }
}

void CalendarView::mousePressEvent(QMouseEvent* event) {
  const auto [day, hour] = cellAt(event->pos());
  if (const auto start = grid_.start(day, hour)) emit hourClicked(*start);
}

void CalendarView::mouseMoveEvent(QMouseEvent* event) {
  const auto [day, hour] = cellAt(event->pos());
  const auto v = grid_.value(day, hour);
  if (!grid_.start(day, hour)) return QToolTip::hideText();
  const QString what = metric_ == CalendarMetric::kLossPct ? QString("loss %1 %").arg(v.value_or(0.0), 0, 'f', 3)
                       : v ? QString("p95 %1 ms").arg(*v, 0, 'f', 3)
                           : QString("p95 unknown");
  QToolTip::showText(event->globalPosition().toPoint(),
                     QString("%1:00-%2:00: %3\nclick to show this hour").arg(hour, 2, 10, QChar('0')).arg(hour + 1, 2, 10, QChar('0')).arg(what),
                     this);
}

}  // namespace zzping::gui
