// SPDX-License-Identifier: GPL-3.0-or-later
#include "plot_panel.hpp"

#include <QLabel>
#include <QMouseEvent>
#include <QRubberBand>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "plot_items.hpp"
#include "plot_layout.hpp"
#include "view_range.hpp"
#include "zzping/common/view/bucket_text.hpp"

namespace zzping::gui {

using namespace plot;  // NOLINT: the panel is the only user of its drawing pieces

namespace {

// "■ name" in `colour`, for the legend line.
QString swatch(const QColor& colour, const QString& glyph, const QString& name) {
  return QString("<span style=\"color:%1\">%2</span>&nbsp;%3").arg(colour.name(), glyph, name);
}

}  // namespace

QString PlotPanel::legendText() {
  return QStringList{swatch(kBandOuter, "&#9632;", "p0&ndash;p100"), swatch(kBandMiddle, "&#9632;", "p12.5&ndash;p87.5"),
                     swatch(kBandInner, "&#9632;", "p25&ndash;p75"), swatch(kMedian, "&#9473;", "median"),
                     swatch(kLoss, "&#9473;", "loss %"), swatch(kLoss, "&#9644;", "loss strip"),
                     swatch(kEvent, "&#9608;", "outage")}
      .join("&nbsp;&nbsp;&nbsp;");
}

QString PlotPanel::legendToolTip() {
  return "<b>RTT plot</b> (one column per bucket: a raw 100 ms frame or a merged span)<br>"
         "&bull; Bands: the spread of the RTTs in the bucket, from its merged histogram. The lightest "
         "band covers all replies (p0 to p100), the middle one the central 75 % (p12.5 to p87.5), the "
         "darkest the central half (p25 to p75).<br>"
         "&bull; Dark line: the median (p50) RTT; dots when buckets are few.<br>"
         "<b>Loss plot</b><br>"
         "&bull; Red line and fill: lost probes as a percentage of those sent in the bucket.<br>"
         "&bull; Loss strip: a red mark along the top over every bucket with any loss, so a single "
         "lost probe in a year view still shows.<br>"
         "&bull; Shading (pale red over both plots): an outage, i.e. a loss burst recorded by zzpingd "
         "(&ge; 2 consecutive probes lost) or detected in the frames; listed in the Outages dock.";
}

PlotPanel::PlotPanel(QWidget* parent)
    : QWidget(parent),
      plot_(new QCustomPlot(this)),
      layout_(std::make_unique<PlotLayout>(plot_, this, [this](double lower_s, double upper_s) {
        onAxisRangeChanged(lower_s, upper_s);
      })) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  legend_ = new QLabel(legendText(), this);
  legend_->setObjectName("legend");
  legend_->setTextFormat(Qt::RichText);
  legend_->setToolTip(legendToolTip());
  legend_->setContentsMargins(8, 2, 8, 2);
  legend_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  legend_->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
  layout->addWidget(legend_);
  layout->addWidget(plot_, 1);
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  plot_->setNoAntialiasingOnDrag(true);
  // Antialiased, translucent band polygons of thousands of vertices cost the raster
  // engine hundreds of ms; without antialiasing they are the same at this density.
  plot_->setNotAntialiasedElements(QCP::aeFills | QCP::aePlottables | QCP::aeItems);
  plot_->setPlottingHint(QCP::phFastPolylines, true);
  plot_->installEventFilter(this);
  plot_->setMouseTracking(true);
  connect(plot_, &QCustomPlot::mouseMove, this,
          [this](QMouseEvent* e) { showHover(e->pos()); });
  redraw_timer_.setSingleShot(true);
  redraw_timer_.setInterval(0);  // coalesces everything queued before the event loop runs
  connect(&redraw_timer_, &QTimer::timeout, this, &PlotPanel::redrawNow);
  scheduleRedraw(true);
}

PlotPanel::~PlotPanel() = default;

QWidget* PlotPanel::plotWidget() const { return plot_; }

void PlotPanel::setHosts(std::vector<std::shared_ptr<const view::HostTimeline>> hosts,
                         std::vector<std::optional<view::TimeRange>> extents, std::vector<bool> visible) {
  hosts_ = std::move(hosts);
  extents_ = std::move(extents);
  extents_.resize(hosts_.size());
  if (!visible.empty()) visible_ = std::move(visible);
  visible_.resize(hosts_.size(), true);
  resetView();
  scheduleRedraw(true);
}

void PlotPanel::setHostTitles(std::vector<QString> titles) {
  titles_ = std::move(titles);
  scheduleRedraw(true);
}

void PlotPanel::setHostVisible(std::size_t host, bool visible) {
  if (host >= visible_.size() || visible_[host] == visible) return;
  visible_[host] = visible;
  scheduleRedraw(true);
}

void PlotPanel::scheduleRedraw(bool relayout) {
  relayout_pending_ = relayout_pending_ || relayout;
  data_pending_ = true;
  if (!redraw_timer_.isActive()) redraw_timer_.start();
}

void PlotPanel::redrawNow() {
  redraw_timer_.stop();
  if (relayout_pending_) rebuildLayout();
  if (data_pending_) refreshData();
  relayout_pending_ = data_pending_ = false;
}

void PlotPanel::setTimeRange(view::TimeRange range) {
  const view::TimeRange clamped = clamp_view(range);
  if (clamped == range_) return;
  range_ = clamped;
  applyRangeToAxes();
  scheduleRedraw(false);
  emit timeRangeChanged(range_.begin_ms, range_.end_ms);
}

void PlotPanel::resetView() {
  std::vector<std::optional<view::TimeRange>> extents;
  for (std::size_t h = 0; h < hosts_.size(); ++h) extents.push_back(extents_[h] ? extents_[h] : hosts_[h]->extent());
  if (const auto all = union_of(extents)) setTimeRange(*all);
}

void PlotPanel::zoom(double factor, std::optional<std::int64_t> center_ms) {
  setTimeRange(zoom_view(range_, factor, center_ms));
}

void PlotPanel::pan(double fraction) { setTimeRange(pan_view(range_, fraction)); }

void PlotPanel::setYScale(const view::YScale& scale) {
  y_scale_ = scale;
  scheduleRedraw(false);
}

void PlotPanel::setFollowTail(bool follow) {
  follow_tail_ = follow;
  if (follow) dataAppended();
}

void PlotPanel::dataAppended() {
  if (follow_tail_) {
    std::optional<std::int64_t> newest;
    for (const auto& h : hosts_) {
      if (const auto e = h->extent()) newest = std::max(newest.value_or(e->end_ms), e->end_ms);
    }
    if (newest) setTimeRange(follow_view(range_, *newest));
  }
  scheduleRedraw(false);
}

// --- layout --------------------------------------------------------------------------

void PlotPanel::rebuildLayout() {
  std::vector<QString> titles;
  for (std::size_t h = 0; h < hosts_.size(); ++h) {
    titles.push_back(h < titles_.size() ? titles_[h] : QString::fromStdString(hosts_[h]->name()));
  }
  plots_ = layout_->build(titles, visible_, zone_, font());
  applyTimeAxisTitle();
  applyRangeToAxes();
}

void PlotPanel::setDisplayZone(DisplayZone zone) {
  if (zone == zone_) return;
  zone_ = zone;
  scheduleRedraw(true);
}

// The zone (with the offset in the middle of the view) under the last time axis, and as
// many ticks as fit (labels are ~110 px apart at most).
void PlotPanel::applyTimeAxisTitle() {
  const std::int64_t middle = range_.begin_ms + range_.span_ms() / 2;
  PlotLayout::titleTimeAxis(plots_, zone_.label(middle), plotWidthPx());
}

QString PlotPanel::timeAxisTitle() const {
  return plots_.empty() ? QString() : plots_.back()->loss->axis(QCPAxis::atBottom)->label();
}

QStringList PlotPanel::timeTickLabels() const {
  if (plots_.empty()) return {};
  return plots_.back()->loss->axis(QCPAxis::atBottom)->tickVectorLabels();
}

void PlotPanel::applyRangeToAxes() {
  syncing_axes_ = true;
  for (auto& hp : plots_) {
    for (QCPAxisRect* r : {hp->latency, hp->loss}) {
      r->axis(QCPAxis::atBottom)->setRange(to_s(range_.begin_ms), to_s(range_.end_ms));
    }
  }
  syncing_axes_ = false;
}

// A user zoomed or dragged one axis: that becomes the range of all of them.
void PlotPanel::onAxisRangeChanged(double lower_s, double upper_s) {
  if (syncing_axes_) return;
  const view::TimeRange wanted{to_ms(lower_s), to_ms(upper_s)};
  const view::TimeRange before = range_;
  setTimeRange(wanted);
  // setTimeRange may clamp, or do nothing when unchanged; re-apply so the axis that
  // moved agrees with the others again.
  if (range_ == before || !(range_ == wanted)) applyRangeToAxes();
}

// --- data ----------------------------------------------------------------------------

int PlotPanel::plotWidthPx() const {
  if (!plots_.empty() && plots_.front()->latency->width() > 10) return plots_.front()->latency->width();
  return std::max(width() - 80, 100);
}

void PlotPanel::refreshData() {
  applyTimeAxisTitle();
  QStringList summary;
  for (auto& hp : plots_) {
    refreshHost(*hp);
    const auto level_name = [](std::uint32_t ms) {
      return ms == 0 ? QString("raw frames") : QString::fromStdString(view::format_duration(ms));
    };
    QString text = QString("%1: %2 (%3 buckets)")
                       .arg(QString::fromStdString(hosts_[hp->host]->name()))
                       .arg(level_name(hosts_[hp->host]->level_bucket_ms(hp->level)))
                       .arg(hp->buckets.size());
    // Never let coarse buckets pass for the level named: say what is drawn meanwhile.
    if (!hp->complete) text += QString(", detail loading: %1 shown").arg(level_name(hp->finest_ms));
    summary << text;
  }
  plot_->replot();
  emit redrawn(summary.join("  |  "));
}

void PlotPanel::refreshHost(HostPlot& hp) {
  const view::HostTimeline& host = *hosts_[hp.host];
  const double budget = kMaxBucketsPerPixel * plotWidthPx();
  hp.level = host.choose_level(range_, budget);
  view::ChunkView shown = host.visible(hp.level, range_);
  hp.buckets = std::move(shown.buckets);
  hp.complete = shown.complete;
  hp.finest_ms = shown.finest_bucket_ms;
  hp.series = view::make_plot_series(hp.buckets);

  QVector<double> median(static_cast<qsizetype>(hp.series.x_s.size()));
  for (std::size_t i = 0; i < hp.series.x_s.size(); ++i) {
    median[static_cast<qsizetype>(i)] = y_scale_.forward(hp.series.rtt_ms[view::kP50][i]);
  }
  hp.median->setData(to_qvector(hp.series.x_s), median, true);
  std::vector<BandItem::Bucket> bands;
  bands.reserve(hp.buckets.size());
  for (const auto& b : hp.buckets) {
    if (!b.has_rtt()) continue;
    BandItem::Bucket band{to_s(b.t_ms), to_s(b.end_ms()), {}};
    for (std::size_t q = 0; q < band.y.size(); ++q) {
      band.y[q] = y_scale_.forward(static_cast<double>(b.rtt_us[q]) / 1000.0);
    }
    bands.push_back(band);
  }
  hp.bands->setBuckets(std::move(bands));
  // A bucket between two gaps is a line of no length: when buckets are few, dots make
  // every one of them visible.
  const bool sparse = hp.buckets.size() * 8 <= static_cast<std::size_t>(plotWidthPx());
  hp.median->setScatterStyle(
      sparse ? QCPScatterStyle(QCPScatterStyle::ssDisc, kMedian, kMedian, 5) : QCPScatterStyle());
  const view::YRange y = y_scale_.axis_range(hp.series);
  hp.y_range = {y.lo, y.hi};
  QCPAxis* y_axis = hp.latency->axis(QCPAxis::atLeft);
  y_axis->setRange(y.lo, y.hi);
  QSharedPointer<QCPAxisTickerText> ticks(new QCPAxisTickerText);
  for (double ms : y_scale_.ticks_ms(y, 6)) ticks->addTick(y_scale_.forward(ms), QString::number(ms, 'g', 4));
  y_axis->setTicker(ticks);

  hp.loss_graph->setData(to_qvector(hp.series.loss_x_s), to_qvector(hp.series.loss_pct), true);
  double max_loss = 0.0;
  std::vector<std::pair<double, double>> lossy;
  for (const auto& b : hp.buckets) {
    max_loss = std::max(max_loss, b.loss_percent());
    if (b.lost > 0) lossy.emplace_back(to_s(b.t_ms), to_s(b.end_ms()));
  }
  hp.loss_marks->setSpans(std::move(lossy));
  hp.loss_fill->setBars(hp.buckets);
  // Loss axis: 0..5% at least, so small losses show as bars instead of a flat line.
  const double loss_top = std::min(100.0, std::max(5.0, max_loss * 1.15));
  hp.loss->axis(QCPAxis::atLeft)->setRange(0.0, loss_top);
  drawEvents(hp);
}

// Outages as shaded spans over both plots of the host (at least 2 px wide, so an outage
// of 200 ms stays visible in a year view).
void PlotPanel::drawEvents(HostPlot& hp) {
  std::vector<std::pair<double, double>> spans;
  for (const LossEvent& e : hosts_[hp.host]->events()) {
    if (e.end_ms < range_.begin_ms || e.start_ms > range_.end_ms) continue;
    spans.emplace_back(to_s(e.start_ms), to_s(e.end_ms));
  }
  hp.latency_events->setSpans(spans);
  hp.loss_events->setSpans(std::move(spans));
}

// --- queries -------------------------------------------------------------------------

std::size_t PlotPanel::levelShown(std::size_t host) const {
  for (const auto& hp : plots_) {
    if (hp->host == host) return hp->level;
  }
  return 0;
}

const view::PlotSeries& PlotPanel::seriesShown(std::size_t host) const {
  static const view::PlotSeries empty;
  for (const auto& hp : plots_) {
    if (hp->host == host) return hp->series;
  }
  return empty;
}

bool PlotPanel::detailComplete(std::size_t host) const {
  for (const auto& hp : plots_) {
    if (hp->host == host) return hp->complete;
  }
  return true;
}

std::vector<view::BucketSummary> PlotPanel::bucketsShown(std::size_t host) const {
  for (const auto& hp : plots_) {
    if (hp->host != host) continue;
    std::vector<view::BucketSummary> inside;
    for (const auto& b : hp->buckets) {
      if (b.end_ms() > range_.begin_ms && b.t_ms < range_.end_ms) inside.push_back(b);
    }
    return inside;
  }
  return {};
}

std::vector<view::TimeRange> PlotPanel::axisRanges() const {
  std::vector<view::TimeRange> out;
  for (const auto& hp : plots_) {
    for (QCPAxisRect* r : {hp->latency, hp->loss}) {
      const QCPRange x = r->axis(QCPAxis::atBottom)->range();
      out.push_back({to_ms(x.lower), to_ms(x.upper)});
    }
  }
  return out;
}

std::pair<double, double> PlotPanel::latencyAxisRange(std::size_t host) const {
  for (const auto& hp : plots_) {
    if (hp->host == host) {
      const QCPRange y = hp->latency->axis(QCPAxis::atLeft)->range();
      return {y.lower, y.upper};
    }
  }
  return {0.0, 0.0};
}

QRect PlotPanel::latencyRect(std::size_t host) const {
  for (const auto& hp : plots_) {
    if (hp->host == host) return hp->latency->rect().translated(plot_->pos());
  }
  return {};
}

QRect PlotPanel::lossRect(std::size_t host) const {
  for (const auto& hp : plots_) {
    if (hp->host == host) return hp->loss->rect().translated(plot_->pos());
  }
  return {};
}

const PlotPanel::HostPlot* PlotPanel::plotAt(QPoint pos) const {
  const QPoint in_plot = plot_->mapFrom(this, pos);
  QCPAxisRect* rect = plot_->axisRectAt(in_plot);
  for (const auto& hp : plots_) {
    if (hp->latency == rect || hp->loss == rect) return hp.get();
  }
  return nullptr;
}

QString PlotPanel::hoverText(QPoint pos) const {
  const HostPlot* hp = plotAt(pos);
  if (!hp) return {};
  const QPoint in_plot = plot_->mapFrom(this, pos);
  const double x_s = hp->latency->axis(QCPAxis::atBottom)->pixelToCoord(in_plot.x());
  const auto bucket = hosts_[hp->host]->bucket_at(hp->level, to_ms(x_s));
  if (!bucket) return {};
  // describe() starts with the bucket's UTC time; the first line is said in the zone shown.
  QString text = QString::fromStdString(view::describe(*bucket));
  const qsizetype first_line = text.indexOf('\n');
  text = QString("%1 (%2) + %3").arg(zone_.format(bucket->t_ms), zone_.label(bucket->t_ms),
                                   QString::fromStdString(view::format_duration(bucket->length_ms))) +
         (first_line < 0 ? QString() : text.mid(first_line));
  return QString::fromStdString(hosts_[hp->host]->name()) + "\n" + text;
}

void PlotPanel::showHover(QPoint plot_pos) {
  const QPoint pos = plot_->mapTo(this, plot_pos);
  const QString text = hoverText(pos);
  if (text.isEmpty()) {
    QToolTip::hideText();
  } else {
    QToolTip::showText(mapToGlobal(pos), text, this);
  }
}

// --- rubber band zoom (right button, or Shift + left button) ---------------------------

bool PlotPanel::eventFilter(QObject* watched, QEvent* event) {
  if (watched == plot_ && handleRubberBand(event)) return true;
  return QWidget::eventFilter(watched, event);
}

bool PlotPanel::handleRubberBand(QEvent* event) {
  const auto* me = dynamic_cast<QMouseEvent*>(event);
  if (!me) return false;
  const bool starts = event->type() == QEvent::MouseButtonPress &&
                      (me->button() == Qt::RightButton ||
                       (me->button() == Qt::LeftButton && (me->modifiers() & Qt::ShiftModifier)));
  if (starts) {
    if (!rubber_band_) rubber_band_ = new QRubberBand(QRubberBand::Rectangle, plot_);
    rubber_origin_ = me->pos();
    rubber_band_->setGeometry(QRect(rubber_origin_, QSize()));
    rubber_band_->show();
    return true;
  }
  if (!rubber_band_ || !rubber_band_->isVisible()) return false;
  if (event->type() == QEvent::MouseMove) {
    rubber_band_->setGeometry(QRect(rubber_origin_, me->pos()).normalized());
    return true;
  }
  if (event->type() == QEvent::MouseButtonRelease) {
    rubber_band_->hide();
    const int x0 = std::min(rubber_origin_.x(), me->pos().x());
    const int x1 = std::max(rubber_origin_.x(), me->pos().x());
    if (x1 - x0 >= 4 && !plots_.empty()) {
      QCPAxis* x = plots_.front()->latency->axis(QCPAxis::atBottom);
      setTimeRange({to_ms(x->pixelToCoord(x0)), to_ms(x->pixelToCoord(x1))});
    }
    return true;
  }
  return false;
}

// --- images --------------------------------------------------------------------------

QImage PlotPanel::render(QSize size) {
  if (size.isValid() && size != this->size()) resize(size);
  redrawNow();
  plot_->replot();
  return plot_->toPixmap().toImage();
}

PlotPainter::PlotPainter(QPaintDevice* device) : painter_(std::make_unique<QCPPainter>()) { painter_->begin(device); }
PlotPainter::~PlotPainter() {
  if (painter_->isActive()) painter_->end();
}
bool PlotPainter::isActive() const { return painter_->isActive(); }
QPainter& PlotPainter::painter() { return *painter_; }

void PlotPanel::paint(PlotPainter& plot_painter, const QRect& target) {
  QCPPainter& painter = *plot_painter.painter_;
  resize(target.width(), target.height() + (legend_ ? legend_->sizeHint().height() : 0));
  redrawNow();
  plot_->replot();
  painter.save();
  painter.translate(target.topLeft());
  plot_->toPainter(&painter, target.width(), target.height());
  painter.restore();
}

// The whole panel: the legend line above the plots belongs to the picture (without it
// nobody can tell what the shades and lines are).
bool PlotPanel::savePng(const QString& file) {
  redrawNow();
  plot_->replot();
  return grab().save(file, "PNG");
}

}  // namespace zzping::gui
