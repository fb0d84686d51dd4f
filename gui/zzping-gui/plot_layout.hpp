// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// PlotLayout: how PlotPanel's QCustomPlot is laid out: per visible host a title, a
// latency axis rect (bands, median, outage shading) over a loss axis rect (bars, line,
// strip, shading), all sharing the time axis; the zone's title and tick count on the last
// one. PlotPanel keeps the view (range, data, hover, zoom); this class only builds and
// titles the layout. Included only by plot_panel.cpp (qcustomplot.h stays in one
// translation unit, see plot_items.hpp).
#include <functional>
#include <memory>
#include <vector>

#include "plot_items.hpp"
#include "zzping/common/view/plot_series.hpp"

namespace zzping::gui::plot {

// One visible host's axis rects and plottables, and what the last redraw drew there.
struct HostPlot {
  std::size_t host = 0;
  QCPAxisRect* latency = nullptr;
  QCPAxisRect* loss = nullptr;
  BandItem* bands = nullptr;
  QCPGraph* median = nullptr;
  QCPGraph* loss_graph = nullptr;
  BarItem* loss_fill = nullptr;
  SpanItem* loss_marks = nullptr;  // a strip on top over every bucket with loss, so tiny loss shows
  SpanItem* latency_events = nullptr;
  SpanItem* loss_events = nullptr;
  std::size_t level = 0;
  bool complete = true;         // every bucket drawn is of `level`
  std::uint32_t finest_ms = 0;  // the finest bucket length drawn
  std::vector<view::BucketSummary> buckets;
  view::PlotSeries series;
  std::pair<double, double> y_range{0.0, 1.0};
};

class PlotLayout {
 public:
  // Called when the user drags or zooms one time axis (seconds since the epoch).
  using RangeChanged = std::function<void(double lower_s, double upper_s)>;

  PlotLayout(QCustomPlot* plot, QObject* context, RangeChanged on_range_changed)
      : plot_(plot), context_(context), on_range_changed_(std::move(on_range_changed)) {}

  // Clears the plot and builds the rows of the hosts in `titles` whose `visible` is set
  // (`titles` and `visible` parallel, in host order). With none, a hint instead: how to
  // open data (`have_hosts` false) or that all hosts are hidden.
  std::vector<std::unique_ptr<HostPlot>> build(const std::vector<QString>& titles, const std::vector<bool>& visible,
                                               const DisplayZone& zone, const QFont& font) {
    plot_->clearItems();
    plot_->clearPlottables();
    plot_->plotLayout()->clear();
    std::vector<std::unique_ptr<HostPlot>> plots;
    auto* margins = new QCPMarginGroup(plot_);
    int row = 0;
    for (std::size_t h = 0; h < titles.size(); ++h) {
      if (!visible[h]) continue;
      plot_->plotLayout()->addElement(row++, 0, new QCPTextElement(plot_, titles[h],
                                                                   QFont(font.family(), font.pointSize(), QFont::Bold)));
      auto hp = buildHost(h, zone, margins);
      plot_->plotLayout()->addElement(row++, 0, hp->latency);
      plot_->plotLayout()->addElement(row++, 0, hp->loss);
      plots.push_back(std::move(hp));
    }
    if (plots.empty()) {
      plot_->plotLayout()->addElement(0, 0, new QCPTextElement(plot_, titles.empty()
          ? "Open a file or a data directory (File menu, or drop it here)" : "All hosts are hidden"));
    } else {
      plots.back()->loss->axis(QCPAxis::atBottom)->setTickLabels(true);
    }
    return plots;
  }

  // The zone's name under the last time axis, and as many ticks as fit (labels are
  // ~110 px apart at most).
  static void titleTimeAxis(const std::vector<std::unique_ptr<HostPlot>>& plots, const QString& zone_label,
                            int width_px) {
    if (plots.empty()) return;
    plots.back()->loss->axis(QCPAxis::atBottom)->setLabel("time (" + zone_label + ")");
    const int ticks = std::max(2, width_px / 110);
    for (const auto& hp : plots) {
      for (QCPAxisRect* r : {hp->latency, hp->loss}) r->axis(QCPAxis::atBottom)->ticker()->setTickCount(ticks);
    }
  }

 private:
  std::unique_ptr<HostPlot> buildHost(std::size_t h, const DisplayZone& zone, QCPMarginGroup* margins) {
    auto hp = std::make_unique<HostPlot>();
    hp->host = h;
    hp->latency = new QCPAxisRect(plot_);
    hp->loss = new QCPAxisRect(plot_);
    for (QCPAxisRect* r : {hp->latency, hp->loss}) {
      r->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
      r->setRangeDrag(Qt::Horizontal);
      r->setRangeZoom(Qt::Horizontal);
      r->axis(QCPAxis::atBottom)->setTicker(QSharedPointer<QCPAxisTicker>(new ZoneTicker(zone)));
      r->axis(QCPAxis::atBottom)->setTickLabels(false);
      QObject::connect(r->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::rangeChanged), context_,
                       [this](const QCPRange& x) { on_range_changed_(x.lower, x.upper); });
    }
    hp->latency->axis(QCPAxis::atLeft)->setLabel("RTT (ms)");
    hp->loss->axis(QCPAxis::atLeft)->setLabel("loss %");
    hp->loss->setMaximumSize(QWIDGETSIZE_MAX, 110);
    hp->loss->setMinimumSize(0, 60);
    hp->latency->setMinimumSize(0, 120);

    // Creation order is drawing order: shading under the bands under the median; the
    // loss bars under the loss line.
    hp->latency_events = new SpanItem(plot_, hp->latency, kEvent);
    hp->loss_events = new SpanItem(plot_, hp->loss, kEvent);
    hp->bands = new BandItem(plot_, hp->latency);
    hp->median = make_graph(plot_, hp->latency, QPen(kMedian, 1.6));
    hp->loss_fill = new BarItem(plot_, hp->loss, kLossFill);
    hp->loss_graph = make_graph(plot_, hp->loss, QPen(kLoss, 1.2));
    hp->loss_graph->setLineStyle(QCPGraph::lsStepLeft);
    hp->loss_marks = new SpanItem(plot_, hp->loss, kLoss, 5);
    return hp;
  }

  QCustomPlot* plot_;
  QObject* context_;  // the receiver of the axis signals (their lifetime)
  RangeChanged on_range_changed_;
};

}  // namespace zzping::gui::plot
