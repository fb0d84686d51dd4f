// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// PlotPanel's drawing pieces: the colours, the zone-aware time ticker and the three custom
// plot items (quantile bands, marked spans, loss bars). Included only by plot_panel.cpp:
// with qcustomplot.h, which costs seconds per translation unit, it stays out of every
// other file.
#include <qcustomplot.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <vector>

#include "display_zone.hpp"
#include "time_labels.hpp"
#include "zzping/common/view/bucket.hpp"

namespace zzping::gui::plot {
// `colour` blended over `below`, as an opaque colour.
inline QColor blend_over(QColor colour, QColor below) {
  const auto mix = [&](int c, int b) { return (c * colour.alpha() + b * (255 - colour.alpha())) / 255; };
  return QColor(mix(colour.red(), below.red()), mix(colour.green(), below.green()),
                mix(colour.blue(), below.blue()));
}

// Colours: blue quantile bands (lighter outwards), a dark median, red loss.
// Every fill is OPAQUE: Qt 6's raster engine splits each translucent fill of more than
// ~64 rows across its thread pool (a semaphore round trip per rectangle), which cost tens
// of ms per redraw with thousands of band rectangles; opaque fills are a plain memset.
// The bands nest (P0-P100 holds P12-P87 holds P25-P75), so each is the translucent
// look precomputed: the band colour over the one below it, over the white background.
inline const QColor kWhite(255, 255, 255);
inline const QColor kBandOuter = blend_over(QColor(70, 130, 220, 45), kWhite);
inline const QColor kBandMiddle = blend_over(QColor(70, 130, 220, 80), kBandOuter);
inline const QColor kBandInner = blend_over(QColor(70, 130, 220, 130), kBandMiddle);
inline const QColor kMedian(15, 40, 110);
inline const QColor kLoss(220, 30, 30);
inline const QColor kLossFill = blend_over(QColor(220, 30, 30, 110), kWhite);
inline const QColor kEvent = blend_over(QColor(220, 30, 30, 40), kWhite);  // drawn under the data

inline double to_s(std::int64_t ms) { return static_cast<double>(ms) / 1000.0; }
inline std::int64_t to_ms(double s) { return static_cast<std::int64_t>(std::llround(s * 1000.0)); }

inline QVector<double> to_qvector(const std::vector<double>& v) { return QVector<double>(v.begin(), v.end()); }

inline QCPGraph* make_graph(QCustomPlot* plot, QCPAxisRect* rect, QPen pen) {
  QCPGraph* g = plot->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
  g->setPen(pen);
  g->setAdaptiveSampling(false);  // the view model already bounds the points
  return g;
}

// Time-axis ticks on round times of the displayed zone, labelled adaptively
// (time_labels.hpp: the date once or when it changes, seconds and milliseconds only when
// the step needs them). Axis coordinates are seconds since the epoch.
class ZoneTicker : public QCPAxisTicker {
 public:
  explicit ZoneTicker(DisplayZone zone) : zone_(zone) {}
  void generate(const QCPRange& range, const QLocale&, QChar, int, QVector<double>& ticks,
                QVector<double>* sub_ticks, QVector<QString>* labels) override {
    const AxisTicks t = make_axis_ticks(to_ms(range.lower), to_ms(range.upper), tickCount(), zone_.offset());
    ticks.clear();
    for (const std::int64_t ms : t.ticks_ms) ticks.push_back(to_s(ms));
    if (sub_ticks) sub_ticks->clear();
    if (labels) {
      labels->clear();
      for (const std::string& l : t.labels) labels->push_back(QString::fromStdString(l));
    }
  }

 private:
  DisplayZone zone_;
};

// The quantile bands, drawn as one rectangle per bucket and band. QCustomPlot's channel
// fills are polygons; with a jagged band of thousands of vertices the raster engine spends
// hundreds of ms per redraw on them, while rectangles cost O(buckets). Rectangles are
// also what an aggregated bucket is: a time span with a value range.
class BandItem : public QCPAbstractItem {
 public:
  struct Bucket {
    double x0_s;
    double x1_s;
    std::array<double, 7> y;  // axis coordinates of the 7 quantiles
  };

  BandItem(QCustomPlot* plot, QCPAxisRect* rect) : QCPAbstractItem(plot), rect_(rect) {
    setClipAxisRect(rect);
    setClipToAxisRect(true);
  }

  void setBuckets(std::vector<Bucket> buckets) { buckets_ = std::move(buckets); }

  double selectTest(const QPointF&, bool, QVariant*) const override { return -1.0; }

 protected:
  void draw(QCPPainter* painter) override {
    const QCPAxis* x = rect_->axis(QCPAxis::atBottom);
    const QCPAxis* y = rect_->axis(QCPAxis::atLeft);
    painter->setPen(Qt::NoPen);
    struct Band {
      std::size_t lo, hi;
      QColor colour;
    };
    const std::array<Band, 3> bands = {Band{view::kP0, view::kP100, kBandOuter},
                                       Band{view::kP12, view::kP87, kBandMiddle},
                                       Band{view::kP25, view::kP75, kBandInner}};
    for (const Bucket& b : buckets_) {
      const double px0 = x->coordToPixel(b.x0_s);
      // At least one pixel wide, so a 100 ms bucket in a day view still shows.
      const double px1 = std::max(x->coordToPixel(b.x1_s), px0 + 1.0);
      for (const Band& band : bands) {
        const double top = y->coordToPixel(b.y[band.hi]);
        const double bottom = y->coordToPixel(b.y[band.lo]);
        painter->fillRect(QRectF(QPointF(px0, top), QPointF(px1, std::max(bottom, top + 1.0))),
                          band.colour);
      }
    }
  }

 private:
  QCPAxisRect* rect_;
  std::vector<Bucket> buckets_;
};

// Time spans marked on a plot, over its full height (outages) or as a strip of
// `height_px` along its top (buckets with loss): one item drawing many rectangles. One QCP
// item per outage, or one scatter symbol per lossy bucket, costs tens of ms per redraw
// with thousands of them.
class SpanItem : public QCPAbstractItem {
 public:
  SpanItem(QCustomPlot* plot, QCPAxisRect* rect, QColor colour, int height_px = 0)
      : QCPAbstractItem(plot), rect_(rect), colour_(colour), height_px_(height_px) {
    setClipAxisRect(rect);
    setClipToAxisRect(true);
  }

  // Spans in seconds; each drawn at least `min_px` wide.
  void setSpans(std::vector<std::pair<double, double>> spans) { spans_ = std::move(spans); }

  double selectTest(const QPointF&, bool, QVariant*) const override { return -1.0; }

 protected:
  void draw(QCPPainter* painter) override {
    const QCPAxis* x = rect_->axis(QCPAxis::atBottom);
    const QRect full = rect_->rect();
    const QRect area = height_px_ > 0 ? QRect(full.left(), full.top(), full.width(), height_px_) : full;
    // Spans closer than a pixel are drawn as one: a month of outages is then at most one
    // rectangle per pixel column, not thousands of overlapping ones.
    std::optional<std::pair<double, double>> pending;
    const auto flush = [&] {
      if (pending) {
        painter->fillRect(QRectF(QPointF(pending->first, area.top()),
                                 QPointF(pending->second, area.bottom())), colour_);
      }
    };
    for (const auto& [begin, end] : spans_) {
      const double px0 = x->coordToPixel(begin);
      const double px1 = std::max(x->coordToPixel(end), px0 + 2.0);
      if (pending && px0 <= pending->second + 1.0) {
        pending->second = std::max(pending->second, px1);
        continue;
      }
      flush();
      pending = std::make_pair(px0, px1);
    }
    flush();
  }

 private:
  QCPAxisRect* rect_;
  QColor colour_;
  int height_px_;
  std::vector<std::pair<double, double>> spans_;
};

// The area under the loss curve: one rectangle per bucket from 0 to its loss, and at
// most one per pixel column (the highest). QCPGraph's fill is a polygon, which cost
// ~28 ms per redraw in the raster engine for a month of jagged loss.
class BarItem : public QCPAbstractItem {
 public:
  BarItem(QCustomPlot* plot, QCPAxisRect* rect, QColor colour)
      : QCPAbstractItem(plot), rect_(rect), colour_(colour) {
    setClipAxisRect(rect);
    setClipToAxisRect(true);
  }

  void setBars(const std::vector<view::BucketSummary>& buckets) {
    bars_.clear();
    for (const auto& b : buckets) {
      if (b.lost > 0) bars_.push_back({to_s(b.t_ms), to_s(b.end_ms()), b.loss_percent()});
    }
  }

  double selectTest(const QPointF&, bool, QVariant*) const override { return -1.0; }

 protected:
  void draw(QCPPainter* painter) override {
    const QCPAxis* x = rect_->axis(QCPAxis::atBottom);
    const QCPAxis* y = rect_->axis(QCPAxis::atLeft);
    const double bottom = y->coordToPixel(0.0);
    struct Column {
      int px0, px1;
      double top;
    };
    std::optional<Column> pending;
    const auto flush = [&] {
      if (pending) {
        painter->fillRect(QRectF(QPointF(pending->px0, pending->top), QPointF(pending->px1, bottom)),
                          colour_);
      }
    };
    for (const Bar& bar : bars_) {
      const int px0 = static_cast<int>(std::floor(x->coordToPixel(bar.x0_s)));
      // floor, not ceil: a bucket ends where the next one starts, so two adjacent buckets
      // must not share a column (with ceil, every run of lossy buckets merged into one
      // rectangle as high as its highest bar).
      const int px1 = std::max(static_cast<int>(std::floor(x->coordToPixel(bar.x1_s))), px0 + 1);
      const double top = y->coordToPixel(bar.loss_pct);
      if (pending && px0 < pending->px1) {  // shares a pixel column: merge, keep the highest
        pending->px1 = std::max(pending->px1, px1);
        pending->top = std::min(pending->top, top);
        continue;
      }
      // The next column at the same height (a long outage, steady loss): one rectangle.
      if (pending && px0 == pending->px1 && std::lround(top) == std::lround(pending->top)) {
        pending->px1 = px1;
        continue;
      }
      flush();
      pending = Column{px0, px1, top};
    }
    flush();
  }

 private:
  struct Bar {
    double x0_s, x1_s, loss_pct;
  };
  QCPAxisRect* rect_;
  QColor colour_;
  std::vector<Bar> bars_;
};

}  // namespace zzping::gui::plot
