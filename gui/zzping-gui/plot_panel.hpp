// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// PlotPanel: the stacked per-host latency and loss plots with one shared time axis.
//
// This is the only class that talks to QCustomPlot (its header costs seconds per
// translation unit); everything else uses this interface. Its layout (the rows of axis
// rects per host) is built by plot::PlotLayout (plot_layout.hpp), its items are in
// plot_items.hpp; both headers are included by plot_panel.cpp only. What to draw comes from the
// Qt-free view model (zzping::view): level choice, plot series, Y scale, hover text.
#include <QPointer>
#include <QTimer>
#include <QWidget>
#include <memory>
#include <optional>
#include <vector>

#include "display_zone.hpp"
#include "zzping/common/view/host_timeline.hpp"
#include "zzping/common/view/plot_series.hpp"
#include "zzping/common/view/y_scale.hpp"

class QCustomPlot;
class QCPAxisRect;
class QCPGraph;
class QLabel;
class QCPPainter;
class QRubberBand;

namespace zzping::gui {

namespace plot {
struct HostPlot;
class PlotLayout;
}  // namespace plot

// A painter on any paint device (e.g. a PDF writer) that PlotPanel::paint can draw the
// plots into, and the caller its own text: QCustomPlot needs its own QPainter subclass,
// which this keeps out of the callers' includes (qcustomplot.h stays behind PlotPanel).
class PlotPainter {
 public:
  explicit PlotPainter(QPaintDevice* device);  // begins painting on `device`
  ~PlotPainter();
  PlotPainter(const PlotPainter&) = delete;
  PlotPainter& operator=(const PlotPainter&) = delete;
  bool isActive() const;
  QPainter& painter();

 private:
  friend class PlotPanel;
  std::unique_ptr<QCPPainter> painter_;
};

class PlotPanel : public QWidget {
  Q_OBJECT

 public:
  // At most this many buckets per horizontal pixel are drawn.
  static constexpr double kMaxBucketsPerPixel = 2.0;

  explicit PlotPanel(QWidget* parent = nullptr);
  ~PlotPanel() override;

  // Hosts are shared with the window; the panel only reads them (on the GUI thread).
  // `extents` (parallel to `hosts`, or shorter) gives a host's real extent where what it
  // has loaded says less (a data directory's coarse tier buckets); resetView() uses it.
  // `visible` (parallel, or empty: hosts beyond the previous count are shown, the others
  // keep their state) is for a window that reorders its hosts.
  void setHosts(std::vector<std::shared_ptr<const view::HostTimeline>> hosts,
                std::vector<std::optional<view::TimeRange>> extents = {}, std::vector<bool> visible = {});
  // The title above each host's plots (parallel to the hosts; missing: the host's name),
  // e.g. with the host's role.
  void setHostTitles(std::vector<QString> titles);
  void setHostVisible(std::size_t host, bool visible);
  bool hostVisible(std::size_t host) const { return host < visible_.size() && visible_[host]; }
  std::size_t hostCount() const { return hosts_.size(); }

  // The visible time span, shared by all hosts.
  view::TimeRange timeRange() const { return range_; }
  void setTimeRange(view::TimeRange range);
  // Shows everything the hosts hold.
  void resetView();
  // Zooms by `factor` (< 1 zooms in) around `center_ms`, or the middle of the view.
  void zoom(double factor, std::optional<std::int64_t> center_ms = std::nullopt);
  // Moves the view by `fraction` of its span (positive: later).
  void pan(double fraction);

  // UTC or local time on the time axis (its title names the zone) and in the hover text.
  void setDisplayZone(DisplayZone zone);
  const DisplayZone& displayZone() const { return zone_; }
  // The time axis title and the tick labels of the bottom axis, for tests.
  QString timeAxisTitle() const;
  QStringList timeTickLabels() const;

  void setYScale(const view::YScale& scale);
  const view::YScale& yScale() const { return y_scale_; }

  // Live mode: follow the newest data unless paused. Call dataAppended() after frames
  // were appended to the hosts.
  void setFollowTail(bool follow);
  void dataAppended();

  // Redraws now if anything is pending (normally a timer does it, coalescing requests).
  void redrawNow();
  bool redrawPending() const { return redraw_timer_.isActive(); }

  // What the last redraw drew, for export and tests.
  std::size_t levelShown(std::size_t host) const;
  const view::PlotSeries& seriesShown(std::size_t host) const;
  std::vector<view::BucketSummary> bucketsShown(std::size_t host) const;
  // False while a data directory's detail for the view is still loading (coarser
  // buckets are drawn meanwhile, and the status line says so).
  bool detailComplete(std::size_t host) const;
  // The x range (ms) each visible host's latency and loss axes show.
  std::vector<view::TimeRange> axisRanges() const;
  // The Y axis range (axis coordinates) of a visible host's latency plot.
  std::pair<double, double> latencyAxisRange(std::size_t host) const;
  // Where a visible host's latency and loss plots are, in panel coordinates.
  QRect latencyRect(std::size_t host) const;
  QRect lossRect(std::size_t host) const;
  // Hover text for a point in panel coordinates; empty when no bucket is under it.
  QString hoverText(QPoint pos) const;

  QWidget* plotWidget() const;
  // One compact line above the plots naming the band shades, median, loss line, loss strip
  // and outage shading in their colours; its tooltip explains each.
  QLabel* legend() const { return legend_; }
  static QString legendText();
  static QString legendToolTip();
  // The plots alone (tests compare their pixels with latencyRect() etc.).
  QImage render(QSize size = {});
  // Draws the plots (vector) into `target` of a painter on any device: the PDF report
  // (tools/zzping-report) draws the same plots as the screen.
  void paint(class PlotPainter& painter, const QRect& target);
  // The plots with the legend line above them, as shown.
  bool savePng(const QString& file);

 signals:
  void timeRangeChanged(qint64 begin_ms, qint64 end_ms);
  // Level and bucket figures of the last redraw, for the status bar.
  void redrawn(QString summary);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  using HostPlot = plot::HostPlot;

  void scheduleRedraw(bool relayout);
  void rebuildLayout();
  void refreshData();
  void refreshHost(HostPlot& plot);
  void drawEvents(HostPlot& plot);
  void applyRangeToAxes();
  void applyTimeAxisTitle();
  void onAxisRangeChanged(double lower_s, double upper_s);
  void showHover(QPoint pos);
  bool handleRubberBand(QEvent* event);
  int plotWidthPx() const;
  const HostPlot* plotAt(QPoint pos) const;

  QCustomPlot* plot_;
  std::unique_ptr<plot::PlotLayout> layout_;  // builds plot_'s rows (plot_layout.hpp)
  QLabel* legend_ = nullptr;
  QRubberBand* rubber_band_ = nullptr;
  QPoint rubber_origin_;
  QTimer redraw_timer_;
  bool relayout_pending_ = true;
  bool data_pending_ = true;
  bool syncing_axes_ = false;
  bool follow_tail_ = false;

  std::vector<std::shared_ptr<const view::HostTimeline>> hosts_;
  std::vector<bool> visible_;
  std::vector<QString> titles_;
  std::vector<std::optional<view::TimeRange>> extents_;
  std::vector<std::unique_ptr<HostPlot>> plots_;  // one per visible host, in host order
  view::TimeRange range_{0, 1000};
  view::YScale y_scale_;
  DisplayZone zone_;
};

}  // namespace zzping::gui
