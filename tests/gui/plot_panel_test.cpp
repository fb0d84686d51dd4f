// SPDX-License-Identifier: GPL-3.0-or-later
// QTest tests of the plot panel and main window, offscreen, with synthetic hosts.
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QListWidget>
#include <QMouseEvent>
#include <QLabel>
#include <QRegularExpression>
#include <QDockWidget>
#include <QFileInfo>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QWheelEvent>
#include <cmath>
#include <memory>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>

#include "file_reading.hpp"
#include "main_window.hpp"
#include <QComboBox>
#include <QAction>
#include "outage_model.hpp"
#include <QHeaderView>
#include <QScrollBar>
#include <QTreeView>
#include "plot_panel.hpp"
#include "synthetic_host.hpp"
#include "zzping/common/view/bucket.hpp"

using zzping::gui::MainWindow;
using zzping::gui::OutageListModel;
using zzping::gui::PlotPanel;
using zzping::view::HostTimeline;
using zzping::view::TimeRange;

namespace {

constexpr std::int64_t kT0 = 1'609'488'000'000;  // 2021-01-01T08:00:00Z

std::shared_ptr<HostTimeline> synthetic(const std::string& name, std::int64_t frames,
                                        std::uint64_t seed, std::int64_t hole_at = -1) {
  auto host = std::make_shared<HostTimeline>(name);
  zzping::testing::SyntheticHost gen(kT0, seed);
  for (std::int64_t i = 0; i < frames; ++i) {
    if (i == hole_at) gen.skip(60'000);
    host->append(gen.next());
  }
  return host;
}

QString screenshot_path(const QString& name) {
  const QString dir = QString(ZZPING_BINARY_DIR) + "/gui-screenshots";
  QDir().mkpath(dir);
  return dir + "/" + name;
}

// Counts pixels close to `colour` (any alpha blend of it over white counts when `blend`).
int count_pixels(const QImage& img, const std::function<bool(QColor)>& match) {
  int n = 0;
  for (int y = 0; y < img.height(); ++y) {
    for (int x = 0; x < img.width(); ++x) n += match(img.pixelColor(x, y)) ? 1 : 0;
  }
  return n;
}
bool bluish(QColor c) { return c.blue() > 150 && c.blue() - c.red() > 40 && c.blue() - c.green() > 15; }
bool reddish(QColor c) { return c.red() > 150 && c.red() - c.green() > 60 && c.red() - c.blue() > 60; }
bool dark_blue(QColor c) { return c.blue() > 60 && c.blue() < 160 && c.red() < 60 && c.green() < 80; }

void wheel(QWidget* target, QPoint pos, int steps) {
  QWheelEvent e(QPointF(pos), QPointF(target->mapToGlobal(pos)), QPoint(), QPoint(0, 120 * steps),
                Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
  QApplication::sendEvent(target, &e);
}

void mouse(QWidget* target, QEvent::Type type, QPoint pos, Qt::MouseButton button,
           Qt::MouseButtons buttons, Qt::KeyboardModifiers mods = Qt::NoModifier) {
  QMouseEvent e(type, QPointF(pos), QPointF(target->mapToGlobal(pos)), button, buttons, mods);
  QApplication::sendEvent(target, &e);
}

}  // namespace

class PlotPanelTest : public QObject {
  Q_OBJECT

 private slots:
  void plotsTheValuesOfTheRawFrames();
  void levelSwitchesWithTheSpanAndBoundsThePoints();
  void wheelZoomsAroundTheCursorAndAllHostsFollow();
  void dragPansAllHosts();
  void rubberBandZoomsToTheSelection();
  void keyboardAndResetView();
  void hoverShowsTheBucketUnderTheCursor();
  void legendNamesAndExplainsEveryMark();
  void adjacentLossBarsKeepTheirOwnHeights();
  void oneSpikeDoesNotFlattenTheAxisAndSemiLogWorks();
  void gapsAreBreaksNotLines();
  void screenshotHasBandsMedianAndLoss();
  void mainWindowListsEventsAndJumpsToThem();
  void outagesListFitsSortsJumpsAndExports();
  void settingsRestoreLayoutYAxisZoneAndDirectory();
  void mainWindowExportsTheVisibleRangeAsCsvAndPng();
  void hidingAHostRemovesItsPlots();
  void goldenFrameDataPlotsTheValuesOfTheFile();
  void goldenFdqPlotsTheValuesOfTheFile();
  void goldenDirectoryLoadsOffTheGuiThreadWithHostsGapsAndWarnings();
};

void PlotPanelTest::plotsTheValuesOfTheRawFrames() {
  PlotPanel panel;
  panel.resize(1000, 500);
  auto host = synthetic("a", 300, 1);
  panel.setHosts({host});
  panel.show();
  panel.redrawNow();
  QCOMPARE(panel.levelShown(0), std::size_t{0});
  const auto& s = panel.seriesShown(0);
  QCOMPARE(s.x_s.size(), std::size_t{300});
  const auto raw = host->pyramid().level(0).buckets();
  for (std::size_t i = 0; i < raw.size(); i += 37) {
    QCOMPARE(s.x_s[i], static_cast<double>(raw[i].t_ms + 50) / 1000.0);
    if (raw[i].has_rtt()) {
      QCOMPARE(s.rtt_ms[zzping::view::kP50][i], static_cast<double>(raw[i].rtt_us[3]) / 1000.0);
    }
    QCOMPARE(s.loss_pct[i], raw[i].loss_percent());
  }
  QCOMPARE(panel.timeRange(), (TimeRange{kT0, kT0 + 30'000}));
}

void PlotPanelTest::levelSwitchesWithTheSpanAndBoundsThePoints() {
  PlotPanel panel;
  panel.resize(1000, 500);
  panel.setHosts({synthetic("a", 36'000, 1)});  // one hour
  panel.show();
  panel.redrawNow();
  const int width = panel.latencyRect(0).width();
  QVERIFY(width > 500);
  const std::size_t full_level = panel.levelShown(0);
  QVERIFY(full_level >= 2);  // 36000 raw or 3600 one-second buckets are too many
  QVERIFY(panel.seriesShown(0).x_s.size() <= 2 * static_cast<std::size_t>(width) + 4);
  QVERIFY(panel.seriesShown(0).x_s.size() >= 50);
  panel.setTimeRange({kT0 + 600'000, kT0 + 660'000});  // one minute
  panel.redrawNow();
  QCOMPARE(panel.levelShown(0), std::size_t{0});
  QVERIFY(panel.seriesShown(0).x_s.size() >= 600);
  panel.setTimeRange({kT0 + 600'000, kT0 + 1'200'000});  // ten minutes
  panel.redrawNow();
  QCOMPARE(panel.levelShown(0), std::size_t{1});
}

void PlotPanelTest::wheelZoomsAroundTheCursorAndAllHostsFollow() {
  PlotPanel panel;
  panel.resize(1000, 700);
  panel.setHosts({synthetic("a", 6000, 1), synthetic("b", 6000, 2)});
  panel.show();
  panel.redrawNow();
  const TimeRange before = panel.timeRange();
  const QRect r = panel.latencyRect(0);
  const QPoint at(r.left() + r.width() / 4, r.center().y());
  const double frac = static_cast<double>(at.x() - r.left()) / r.width();
  const double t_at = static_cast<double>(before.begin_ms) + frac * static_cast<double>(before.span_ms());
  wheel(panel.plotWidget(), panel.plotWidget()->mapFrom(&panel, at), 2);
  panel.redrawNow();
  const TimeRange after = panel.timeRange();
  QVERIFY(after.span_ms() < before.span_ms() * 9 / 10);
  // The time under the cursor stays under the cursor.
  const double t_after = static_cast<double>(after.begin_ms) + frac * static_cast<double>(after.span_ms());
  QVERIFY(std::abs(t_after - t_at) < static_cast<double>(before.span_ms()) / 200.0);
  const auto axes = panel.axisRanges();
  QCOMPARE(axes.size(), std::size_t{4});
  for (const TimeRange& a : axes) {
    QVERIFY(std::abs(a.begin_ms - after.begin_ms) <= 1);
    QVERIFY(std::abs(a.end_ms - after.end_ms) <= 1);
  }
  // Zoom on the second host's loss plot: the first host follows too.
  const QRect loss_b = panel.lossRect(1);
  wheel(panel.plotWidget(), panel.plotWidget()->mapFrom(&panel, loss_b.center()), 3);
  panel.redrawNow();
  const TimeRange third = panel.timeRange();
  QVERIFY(third.span_ms() < after.span_ms());
  for (const TimeRange& a : panel.axisRanges()) QVERIFY(std::abs(a.begin_ms - third.begin_ms) <= 1);
}

void PlotPanelTest::dragPansAllHosts() {
  PlotPanel panel;
  panel.resize(1000, 700);
  panel.setHosts({synthetic("a", 6000, 1), synthetic("b", 6000, 2)});
  panel.show();
  panel.setTimeRange({kT0 + 100'000, kT0 + 200'000});
  panel.redrawNow();
  QWidget* w = panel.plotWidget();
  const QRect r = panel.latencyRect(1);
  const QPoint from = w->mapFrom(&panel, r.center());
  const QPoint to = from + QPoint(r.width() / 4, 0);
  mouse(w, QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton);
  mouse(w, QEvent::MouseMove, from + QPoint(5, 0), Qt::NoButton, Qt::LeftButton);
  mouse(w, QEvent::MouseMove, to, Qt::NoButton, Qt::LeftButton);
  mouse(w, QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton);
  panel.redrawNow();
  const TimeRange after = panel.timeRange();
  QCOMPARE(after.span_ms(), 100'000);
  // Dragging right moves the view earlier by a quarter of its span.
  QVERIFY(std::abs(after.begin_ms - (kT0 + 75'000)) < 1000);
  for (const TimeRange& a : panel.axisRanges()) QVERIFY(std::abs(a.begin_ms - after.begin_ms) <= 1);
}

void PlotPanelTest::rubberBandZoomsToTheSelection() {
  PlotPanel panel;
  panel.resize(1000, 500);
  panel.setHosts({synthetic("a", 6000, 1)});
  panel.show();
  panel.redrawNow();
  const TimeRange before = panel.timeRange();
  const QRect r = panel.latencyRect(0);
  QWidget* w = panel.plotWidget();
  const QPoint a = w->mapFrom(&panel, QPoint(r.left() + r.width() / 2, r.center().y()));
  const QPoint b = w->mapFrom(&panel, QPoint(r.left() + 3 * r.width() / 4, r.center().y() + 20));
  mouse(w, QEvent::MouseButtonPress, a, Qt::RightButton, Qt::RightButton);
  mouse(w, QEvent::MouseMove, b, Qt::NoButton, Qt::RightButton);
  mouse(w, QEvent::MouseButtonRelease, b, Qt::RightButton, Qt::NoButton);
  const TimeRange after = panel.timeRange();
  const double quarter = static_cast<double>(before.span_ms()) / 4.0;
  QVERIFY(std::abs(static_cast<double>(after.span_ms()) - quarter) < quarter * 0.02);
  QVERIFY(std::abs(static_cast<double>(after.begin_ms - before.begin_ms) - 2 * quarter) < quarter * 0.02);
}

void PlotPanelTest::keyboardAndResetView() {
  MainWindow window;
  window.addHosts({synthetic("a", 6000, 1)});
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  PlotPanel* panel = window.plotPanel();
  const TimeRange full = panel->timeRange();
  QTest::keyClick(&window, Qt::Key_Plus);
  QCOMPARE(panel->timeRange().span_ms(), full.span_ms() / 2);
  const TimeRange zoomed = panel->timeRange();
  QTest::keyClick(&window, Qt::Key_Right);
  QCOMPARE(panel->timeRange().begin_ms, zoomed.begin_ms + zoomed.span_ms() / 4);
  QTest::keyClick(&window, Qt::Key_Home);
  QCOMPARE(panel->timeRange(), full);
}

void PlotPanelTest::hoverShowsTheBucketUnderTheCursor() {
  PlotPanel panel;
  panel.resize(1000, 500);
  panel.setHosts({synthetic("host-a", 300, 1)});
  panel.show();
  panel.redrawNow();
  const QRect r = panel.latencyRect(0);
  const QString text = panel.hoverText(QPoint(r.left() + r.width() / 2, r.center().y()));
  QVERIFY2(text.contains("host-a"), qPrintable(text));
  // ~15 s in, in local time (the test runs with TZ=Asia/Kolkata, UTC+05:30), then UTC.
  QVERIFY2(text.contains("2021-01-01 13:30:1"), qPrintable(text));
  QVERIFY2(text.contains("(local, UTC+05:30)"), qPrintable(text));
  panel.setDisplayZone(zzping::gui::DisplayZone(true));
  panel.redrawNow();
  const QString utc = panel.hoverText(QPoint(r.left() + r.width() / 2, r.center().y()));
  QVERIFY2(utc.contains("2021-01-01 08:00:1") && utc.contains("(UTC)"), qPrintable(utc));
  QVERIFY2(text.contains("+ 100 ms"), qPrintable(text));
  QVERIFY2(text.contains("sent 10"), qPrintable(text));
  QVERIFY2(text.contains("median: "), qPrintable(text));
  QVERIFY(panel.hoverText(QPoint(2, 2)).isEmpty());
}

// 20 frames of 10 % loss with one of 100 % in the middle, 50 px each: every bar keeps its
// own height (a run of adjacent lossy buckets used to merge into one bar as high as the
// highest).
void PlotPanelTest::adjacentLossBarsKeepTheirOwnHeights() {
  auto host = std::make_shared<HostTimeline>("lossy");
  for (int i = 0; i < 20; ++i) {
    zzping::Frame f;
    f.t_ms = kT0 + i * 100;
    f.sent = 10;
    f.lost = i == 10 ? 10 : 1;
    f.recv = f.sent - f.lost;
    for (std::uint32_t r = 0; r < f.recv; ++r) f.rtt.add_us(1500.0);
    host->append(f);
  }
  PlotPanel panel;
  panel.resize(1100, 500);
  panel.setHosts({host});
  panel.show();
  QVERIFY(QTest::qWaitForWindowExposed(&panel));
  panel.setTimeRange({kT0, kT0 + 2'000});
  panel.redrawNow();
  const QImage img = panel.grab().toImage();
  QVERIFY(img.save(screenshot_path("loss-bars.png")));
  const QRect r = panel.lossRect(0);
  const auto fill = [](QColor c) { return c.red() > 200 && c.green() > 120 && c.green() < 190 && c.blue() > 120 && c.blue() < 190; };
  const auto x_of = [&](double frame) { return r.left() + static_cast<int>(frame / 20.0 * r.width()); };
  const int half_way = r.top() + r.height() / 2;  // 50 % (the axis runs to 100 %)
  const int near_bottom = r.bottom() - 3;          // under 10 %
  QVERIFY(fill(img.pixelColor(x_of(10.5), half_way)));     // the 100 % bar
  QVERIFY(fill(img.pixelColor(x_of(2.5), near_bottom)));   // a 10 % bar is there...
  QVERIFY(!fill(img.pixelColor(x_of(2.5), half_way)));     // ...but only 10 % high
  QVERIFY(!fill(img.pixelColor(x_of(11.5), half_way)));    // the neighbour of the 100 % bar too
}

// The legend: one line above the plots, every mark named, its tooltip explaining them.
void PlotPanelTest::legendNamesAndExplainsEveryMark() {
  PlotPanel panel;
  panel.resize(1000, 500);
  panel.setHosts({synthetic("host-a", 300, 1)});
  panel.show();
  QVERIFY(QTest::qWaitForWindowExposed(&panel));
  panel.redrawNow();
  QLabel* legend = panel.legend();
  QVERIFY(legend->isVisible());
  QVERIFY2(legend->height() <= 2 * legend->fontMetrics().height() + 8, "the legend takes one line");
  for (const char* name : {"p0&ndash;p100", "p12.5&ndash;p87.5", "p25&ndash;p75", "median", "loss strip", "outage"}) {
    QVERIFY2(legend->text().contains(name), name);
  }
  const QString tip = legend->toolTip();
  for (const char* topic : {"Bands", "median", "Loss strip", "Shading", "p12.5 to p87.5"}) {
    QVERIFY2(tip.contains(topic), topic);
  }
  // The legend's swatch colours are the colours drawn: the outer band's is in the plot.
  const QRegularExpression colour("color:(#[0-9a-f]{6})");
  const QString outer = colour.match(legend->text()).captured(1);
  const QImage img = panel.grab().toImage();
  int found = 0;
  for (int y = 0; y < img.height(); ++y) {
    for (int x = 0; x < img.width(); ++x) found += img.pixelColor(x, y).name() == outer;
  }
  QVERIFY2(found > 1000, qPrintable(QString("%1 pixels of %2").arg(found).arg(outer)));
  QVERIFY(img.save(screenshot_path("legend.png")));
}

void PlotPanelTest::oneSpikeDoesNotFlattenTheAxisAndSemiLogWorks() {
  PlotPanel panel;
  panel.resize(1000, 500);
  panel.setHosts({synthetic("a", 300, 1)});  // 30 s with one slow reply (100-150 ms)
  panel.show();
  panel.redrawNow();
  // The axis stays near the baseline (p87.5 ~ 1.5 ms, a few 3-4 ms outliers).
  const auto [lo, hi] = panel.latencyAxisRange(0);
  QCOMPARE(lo, 0.0);
  QVERIFY2(hi < 20.0, qPrintable(QString::number(hi)));
  zzping::view::YScale semi;
  semi.set_semi_log(60);
  panel.setYScale(semi);
  panel.redrawNow();
  const auto [slo, shi] = panel.latencyAxisRange(0);
  QCOMPARE(slo, 0.0);
  QVERIFY(std::abs(shi - semi.forward(semi.inverse(shi))) < 1e-9);
  zzping::view::YScale fixed;
  fixed.set_fixed(0.0, 200.0);
  panel.setYScale(fixed);
  panel.redrawNow();
  QCOMPARE(panel.latencyAxisRange(0).second, 200.0);
}

void PlotPanelTest::gapsAreBreaksNotLines() {
  PlotPanel panel;
  panel.resize(1000, 500);
  panel.setHosts({synthetic("a", 600, 1, 300)});  // 30 s, a 60 s hole, 30 s
  panel.show();
  panel.redrawNow();
  const auto& s = panel.seriesShown(0);
  int breaks = 0;
  for (std::size_t i = 0; i < s.x_s.size(); ++i) {
    if (std::isnan(s.rtt_ms[3][i]) && s.x_s[i] > (kT0 + 30'000) / 1000.0 &&
        s.x_s[i] < (kT0 + 90'000) / 1000.0) {
      ++breaks;
    }
  }
  QCOMPARE(breaks, 1);
  const QImage img = panel.render(QSize(1000, 500));
  QVERIFY(img.save(screenshot_path("gap.png")));
  // No blue band across the hole: sample the middle of the hole inside the latency rect.
  const QRect r = panel.latencyRect(0);
  const double hole_frac = 60.0 / 120.0;
  const int x = r.left() + static_cast<int>(hole_frac * r.width());
  int blue = 0;
  for (int y = r.top() + 2; y < r.bottom() - 2; ++y) blue += bluish(img.pixelColor(x, y)) ? 1 : 0;
  QCOMPARE(blue, 0);
}

void PlotPanelTest::screenshotHasBandsMedianAndLoss() {
  MainWindow window;
  window.resize(1400, 900);
  // 20 minutes with two outages (at 5 min and 15 min) and spikes; two hosts.
  window.addHosts({synthetic("192.168.0.1", 12'000, 1), synthetic("1.1.1.1", 12'000, 7)});
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  window.plotPanel()->redrawNow();
  const QImage img = window.grab().toImage();
  QVERIFY(img.save(screenshot_path("window-20min.png")));
  const int blue = count_pixels(img, bluish);
  const int red = count_pixels(img, reddish);
  const int median = count_pixels(img, dark_blue);
  // (5 000: the Summary dock takes the bottom of the window since issue 12, the Outages
  // dock shows all its columns since issue 16.)
  QVERIFY2(blue > 5'000, qPrintable(QString("band pixels %1").arg(blue)));
  QVERIFY2(red > 300, qPrintable(QString("loss pixels %1").arg(red)));
  QVERIFY2(median > 1'000, qPrintable(QString("median pixels %1").arg(median)));
  // The time axis in local time (TZ=Asia/Kolkata): the zone in its title, the date once,
  // minutes without seconds over 20 minutes.
  PlotPanel* panel = window.plotPanel();
  QCOMPARE(panel->timeAxisTitle(), QString("time (local, UTC+05:30)"));
  QStringList ticks = panel->timeTickLabels();
  QVERIFY2(ticks.size() >= 4, qPrintable(ticks.join('|')));
  QVERIFY2(ticks[0].endsWith("\n2021-01-01") && ticks[0].startsWith("13:"), qPrintable(ticks.join('|')));
  for (qsizetype i = 1; i < ticks.size(); ++i) {
    QVERIFY2(ticks[i].size() == 5 && ticks[i].startsWith("13:"), qPrintable(ticks.join('|')));
  }
  // Zoomed on the first outage: the loss plot fills its span with red.
  window.plotPanel()->setTimeRange({kT0 + 295'000, kT0 + 308'000});
  window.plotPanel()->redrawNow();
  ticks = panel->timeTickLabels();  // seconds now matter, milliseconds not
  QVERIFY2(ticks[1].size() == 8 && !ticks.join('|').contains('.'), qPrintable(ticks.join('|')));
  window.utcAction()->trigger();
  panel->redrawNow();
  QCOMPARE(panel->timeAxisTitle(), QString("time (UTC)"));
  QVERIFY2(panel->timeTickLabels()[0].startsWith("08:0"), qPrintable(panel->timeTickLabels().join('|')));
  const QImage outage = window.grab().toImage();
  QVERIFY(outage.save(screenshot_path("window-outage.png")));
  QVERIFY(count_pixels(outage, reddish) > red);
}

namespace {
QString cell(const QTreeView* view, int row, int column) {
  return view->model()->index(row, column).data().toString();
}
}  // namespace

void PlotPanelTest::mainWindowListsEventsAndJumpsToThem() {
  MainWindow window;
  window.addHosts({synthetic("a", 12'000, 1)});
  window.show();
  QTreeView* events = window.eventList();
  QCOMPARE(events->model()->rowCount(), 2);  // the outages at 5 and 15 min
  QCOMPARE(cell(events, 0, OutageListModel::kStart), QString("2021-01-01 13:35:00"));  // UTC+05:30
  QVERIFY(events->model()->index(0, OutageListModel::kStart).data(Qt::ToolTipRole).toString().contains(
      "2021-01-01 13:35:00.000 (local, UTC+05:30)"));
  window.utcAction()->trigger();
  QCOMPARE(cell(events, 0, OutageListModel::kStart), QString("2021-01-01 08:05:00"));
  QCOMPARE(cell(events, 0, OutageListModel::kDuration), QString("3 s"));
  QCOMPARE(cell(events, 0, OutageListModel::kLost), QString("300"));
  const QRect item_rect = events->visualRect(events->model()->index(1, 0));
  QTest::mouseClick(events->viewport(), Qt::LeftButton, Qt::NoModifier, item_rect.center());
  const TimeRange r = window.plotPanel()->timeRange();
  QVERIFY(r.begin_ms <= kT0 + 900'000 && r.end_ms >= kT0 + 903'000);
  QVERIFY(r.span_ms() <= 10'000);
}

// Issue 16: every column visible at the default size (the host elided, not the numbers),
// sortable by numbers, N / P jump to the next / previous outage in the order shown, and
// the list exports as CSV in that order.
void PlotPanelTest::outagesListFitsSortsJumpsAndExports() {
  MainWindow window;
  window.addHosts({synthetic("a-very-long-host-name.in.a.deep.dns.zone.example", 12'000, 1),
                   synthetic("b", 6'000, 2)});
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  QTreeView* events = window.eventList();
  const int rows = events->model()->rowCount();
  QCOMPARE(rows, 3);  // a: 5 and 15 min; b: 5 min
  // Every column inside the viewport, no horizontal scroll bar; the numbers whole.
  QVERIFY(!events->horizontalScrollBar()->isVisible());
  for (int c = 0; c < OutageListModel::kColumnCount; ++c) {
    const int right = events->header()->sectionViewportPosition(c) + events->header()->sectionSize(c);
    QVERIFY2(right <= events->viewport()->width(), qPrintable(QString("column %1 ends at %2 of %3")
                                                                  .arg(c).arg(right).arg(events->viewport()->width())));
  }
  const int start_needs = events->fontMetrics().horizontalAdvance(cell(events, 0, OutageListModel::kStart));
  QVERIFY(events->header()->sectionSize(OutageListModel::kStart) >= start_needs);
  QVERIFY(events->header()->sectionSize(OutageListModel::kHost) <
          events->fontMetrics().horizontalAdvance("a-very-long-host-name.in.a.deep.dns.zone.example"));
  QVERIFY(events->grab().save(screenshot_path("outages-list.png")));

  // Sorted by start (the default): 5 min (a and b), then 15 min.
  QCOMPARE(cell(events, 2, OutageListModel::kHost), QString("a-very-long-host-name.in.a.deep.dns.zone.example"));
  // Sorting by probes lost compares numbers.
  events->sortByColumn(OutageListModel::kLost, Qt::DescendingOrder);
  for (int r = 1; r < rows; ++r) {
    QVERIFY(cell(events, r - 1, OutageListModel::kLost).toInt() >= cell(events, r, OutageListModel::kLost).toInt());
  }
  events->sortByColumn(OutageListModel::kStart, Qt::AscendingOrder);

  // N from nothing selected: the first; N again: the next; P: back.
  window.plotPanel()->setFocus();
  QTest::keyClick(&window, Qt::Key_N);
  QCOMPARE(events->currentIndex().row(), 0);
  QTest::keyClick(&window, Qt::Key_N);
  QTest::keyClick(&window, Qt::Key_N);
  QCOMPARE(events->currentIndex().row(), 2);
  TimeRange r = window.plotPanel()->timeRange();
  QVERIFY(r.begin_ms <= kT0 + 900'000 && r.end_ms >= kT0 + 903'000 && r.span_ms() <= 10'000);
  QTest::keyClick(&window, Qt::Key_N);  // stays on the last
  QCOMPARE(events->currentIndex().row(), 2);
  QTest::keyClick(&window, Qt::Key_P);
  QCOMPARE(events->currentIndex().row(), 1);
  r = window.plotPanel()->timeRange();
  QVERIFY(r.begin_ms <= kT0 + 300'000 && r.end_ms >= kT0 + 303'000);

  const QString csv = screenshot_path("outages.csv");
  QString error;
  QVERIFY2(window.exportOutagesCsv(csv, &error), qPrintable(error));
  QFile f(csv);
  QVERIFY(f.open(QIODevice::ReadOnly));
  const QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
  QCOMPARE(lines.size(), 1 + rows);
  QCOMPARE(lines[0], QString("host,start_utc,start_local,end_utc,duration_ms,probes_lost"));
  QVERIFY2(lines[3].startsWith("a-very-long-host-name.in.a.deep.dns.zone.example,2021-01-01T08:15:00.000Z,"
                               "2021-01-01 13:45:00.000+05:30,"),
           qPrintable(lines[3]));
  QVERIFY2(lines[3].endsWith(",300"), qPrintable(lines[3]));
}

// QSettings: what one session leaves, the next one starts with.
void PlotPanelTest::settingsRestoreLayoutYAxisZoneAndDirectory() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  QSettings settings(dir.filePath("zzping-gui.ini"), QSettings::IniFormat);
  {
    MainWindow first;
    first.resize(1000, 650);
    first.show();
    QVERIFY(QTest::qWaitForWindowExposed(&first));
    first.yModeBox()->setCurrentIndex(1);  // semi-log
    first.utcAction()->trigger();
    first.findChild<QDockWidget*>("summary")->hide();
    first.openPaths({dir.path()});  // an empty folder: only the directory matters here
    QTRY_VERIFY(!first.isLoading());
    first.saveSettings(settings);
  }
  settings.sync();
  MainWindow second;
  QVERIFY(!second.displayZone().utc());  // the defaults before restoring
  QCOMPARE(second.yModeBox()->currentIndex(), 0);
  second.restoreSettings(settings);
  second.show();
  QVERIFY(QTest::qWaitForWindowExposed(&second));
  QCOMPARE(second.size(), QSize(1000, 650));
  QCOMPARE(second.yModeBox()->currentIndex(), 1);
  QVERIFY(second.plotPanel()->yScale().mode() == zzping::view::YMode::kSemiLog);
  QVERIFY(second.displayZone().utc());
  QVERIFY(second.utcAction()->isChecked());
  QVERIFY(second.findChild<QDockWidget*>("summary")->isHidden());
  QVERIFY(!second.findChild<QDockWidget*>("events")->isHidden());
  QCOMPARE(second.lastDirectory(), QFileInfo(dir.path()).absoluteFilePath());
}

void PlotPanelTest::mainWindowExportsTheVisibleRangeAsCsvAndPng() {
  MainWindow window;
  window.addHosts({synthetic("a", 600, 1), synthetic("b", 600, 2)});
  window.show();
  window.plotPanel()->setTimeRange({kT0 + 10'000, kT0 + 20'000});
  window.plotPanel()->redrawNow();
  const QString csv = screenshot_path("export.csv");
  QString error;
  QVERIFY2(window.exportCsv(csv, &error), qPrintable(error));
  QFile f(csv);
  QVERIFY(f.open(QIODevice::ReadOnly));
  const QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
  QVERIFY(lines[0].startsWith("host,t_utc,t_ms"));
  QVERIFY(lines[0].endsWith(",jitter_us,t_local"));
  QCOMPARE(lines.size(), 1 + 2 * 100);  // 10 s of 100 ms frames, two hosts
  QVERIFY(lines[1].startsWith("a,2021-01-01T08:00:10.000Z,1609488010000,100,10,"));
  QVERIFY2(lines[1].endsWith(",2021-01-01 13:30:10.000+05:30"), qPrintable(lines[1]));
  QVERIFY(lines[101].startsWith("b,2021-01-01T08:00:10.000Z"));
  const QString png = screenshot_path("export.png");
  QVERIFY(window.exportPng(png));
  QImage img(png);
  QVERIFY(!img.isNull());
  QVERIFY(count_pixels(img, bluish) > 1000);
  // Issue 16: the legend is in the export, above the plots, in the colours drawn.
  QCOMPARE(img.size(), window.plotPanel()->size() * img.devicePixelRatio());
  const QRect legend_rect = window.plotPanel()->legend()->geometry();
  QVERIFY(legend_rect.height() > 0 && legend_rect.bottom() < window.plotPanel()->latencyRect(0).top());
  const QImage legend_part = img.copy(legend_rect);
  QVERIFY2(count_pixels(legend_part, bluish) > 10, "the band swatches");
  QVERIFY2(count_pixels(legend_part, reddish) > 10, "the loss swatches");
  QVERIFY2(count_pixels(legend_part, dark_blue) > 3, "the median's swatch");
  QVERIFY(!window.exportCsv("/nonexistent-dir/x.csv", &error));
  QVERIFY(error.contains("/nonexistent-dir/x.csv"));
}

void PlotPanelTest::hidingAHostRemovesItsPlots() {
  MainWindow window;
  window.addHosts({synthetic("a", 600, 1), synthetic("b", 600, 2)});
  window.show();
  window.plotPanel()->redrawNow();
  QCOMPARE(window.plotPanel()->axisRanges().size(), std::size_t{4});
  window.hostList()->item(0)->setCheckState(Qt::Unchecked);
  window.plotPanel()->redrawNow();
  QCOMPARE(window.plotPanel()->axisRanges().size(), std::size_t{2});
  QVERIFY(window.plotPanel()->latencyRect(0).isNull());
  QVERIFY(!window.plotPanel()->latencyRect(1).isNull());
}

namespace {

const QString kGolden = QString(ZZPING_TESTDATA_DIR) + "/zzping-0.2.2";

std::vector<QJsonObject> read_jsonl(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  std::vector<QJsonObject> out;
  for (const QByteArray& line : f.readAll().split('\n')) {
    if (!line.isEmpty()) out.push_back(QJsonDocument::fromJson(line).object());
  }
  return out;
}

// zzping 0.2's percentile rule (x = q(n-1), linear interpolation) on sorted samples.
double legacy_median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const double x = 0.5 * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(x));
  const auto hi = static_cast<std::size_t>(std::ceil(x));
  return v[lo] + (x - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

// Checks that the panel, zoomed to 10 s around `expected[from]`, plots the raw frames
// with medians within the quantiser precision of `median_us(line)`.
void check_plotted_medians(const std::shared_ptr<HostTimeline>& host,
                           const std::vector<QJsonObject>& frames, std::size_t from,
                           const std::function<double(const QJsonObject&)>& time_ms,
                           const std::function<double(const QJsonObject&)>& median_us) {
  PlotPanel panel;
  panel.resize(1000, 500);
  panel.setHosts({host});
  panel.show();
  const auto t0 = static_cast<std::int64_t>(time_ms(frames[from]));
  panel.setTimeRange({t0, t0 + 10'000});
  panel.redrawNow();
  QCOMPARE(panel.levelShown(0), std::size_t{0});
  const auto& s = panel.seriesShown(0);
  int checked = 0;
  for (std::size_t i = from; i < from + 90; ++i) {
    const double median = median_us(frames[i]);
    if (std::isnan(median)) continue;
    const double x = (time_ms(frames[i]) + 50.0) / 1000.0;
    const auto it = std::find_if(s.x_s.begin(), s.x_s.end(), [x](double v) { return std::abs(v - x) < 1e-4; });
    QVERIFY2(it != s.x_s.end(), qPrintable(QString("frame %1 not plotted").arg(i)));
    const double plotted_us = s.rtt_ms[3][static_cast<std::size_t>(it - s.x_s.begin())] * 1000.0;
    QVERIFY2(std::abs(plotted_us - median) <= 0.006 * median + 1.0,
             qPrintable(QString("frame %1: plotted %2 us, file %3 us").arg(i).arg(plotted_us).arg(median)));
    ++checked;
  }
  QVERIFY2(checked > 50, qPrintable(QString("checked %1 of %2 plotted points").arg(checked).arg(s.x_s.size())));
}

}  // namespace

void PlotPanelTest::goldenFrameDataPlotsTheValuesOfTheFile() {
  const QString path = kGolden + "/framedata/pingd-log-192.168.0.1-20210101T08.log";
  const auto expected = read_jsonl(path + ".expected.jsonl");
  QCOMPARE(expected.size(), std::size_t{6001});  // 6000 frames + the end line
  const auto outcome = zzping::gui::load_paths({path}, [](int) {});
  QVERIFY2(outcome.errors.isEmpty(), qPrintable(outcome.errors.join("; ")));
  QCOMPARE(outcome.hosts.size(), std::size_t{1});
  const auto& host = outcome.hosts[0];
  QCOMPARE(QString::fromStdString(host->name()), QString("192.168.0.1"));
  QCOMPARE(host->pyramid().level(0).size(), std::size_t{6000});
  QCOMPARE(host->pyramid().dropped_frames(), std::uint64_t{0});
  std::uint64_t lost = 0;
  for (const auto& b : host->pyramid().level(0).buckets()) lost += b.lost;
  std::uint64_t expected_lost = 0;
  for (std::size_t i = 0; i < 6000; ++i) expected_lost += static_cast<std::uint64_t>(expected[i]["lost_packets"].toInt());
  QCOMPARE(lost, expected_lost);
  check_plotted_medians(
      host, expected, 2000,
      [](const QJsonObject& o) { return std::floor(o["ts_us"].toDouble() / 1000.0); },
      [](const QJsonObject& o) {
        std::vector<double> v;
        for (const auto& x : o["recv_us"].toArray()) v.push_back(x.toDouble());
        return v.empty() ? std::nan("") : legacy_median(v);
      });
  // The whole file (10 min) at full view draws 1 s buckets whose lost counts sum exactly.
  PlotPanel panel;
  panel.resize(1000, 500);
  panel.setHosts({host});
  panel.show();
  panel.redrawNow();
  QVERIFY(panel.levelShown(0) >= 1);
  std::uint64_t shown_lost = 0;
  for (const auto& b : panel.bucketsShown(0)) shown_lost += b.lost;
  QCOMPARE(shown_lost, expected_lost);
}

void PlotPanelTest::goldenFdqPlotsTheValuesOfTheFile() {
  const QString path = kGolden + "/fdq/llq-0.01_fes-60/pingd-log-192.168.0.1-20210101T08.log.fdq.log";
  auto expected = read_jsonl(path + ".expected.jsonl");
  QVERIFY(expected.size() > 6000);
  expected.erase(expected.begin());  // the header line
  const auto outcome = zzping::gui::load_paths({path}, [](int) {});
  QVERIFY2(outcome.errors.isEmpty(), qPrintable(outcome.errors.join("; ")));
  QCOMPARE(outcome.hosts.size(), std::size_t{1});
  QCOMPARE(QString::fromStdString(outcome.hosts[0]->name()), QString("192.168.0.1"));
  QCOMPARE(outcome.hosts[0]->pyramid().level(0).size(), std::size_t{6000});
  check_plotted_medians(
      outcome.hosts[0], expected, 1500,
      [](const QJsonObject& o) { return o["timestamp_ms"].toDouble(); },
      [](const QJsonObject& o) {
        return o["recv_us_len"].toInt() == 0 ? std::nan("") : o["recv_us"].toArray()[3].toDouble();
      });
}

void PlotPanelTest::goldenDirectoryLoadsOffTheGuiThreadWithHostsGapsAndWarnings() {
  MainWindow window;
  window.show();
  QSignalSpy finished(&window, &MainWindow::loadingFinished);
  window.openPaths({kGolden + "/framedata"});
  QVERIFY(window.isLoading());
  QVERIFY(finished.wait(60'000));
  const QStringList errors = finished.at(0).at(0).toStringList();
  // The cut copy of (a) is a warning naming its offset; the .jsonl files are skipped.
  QVERIFY2(errors.join("\n").contains("truncated"), qPrintable(errors.join("\n")));
  QVERIFY2(errors.join("\n").contains("skipped"), qPrintable(errors.join("\n")));
  QStringList hosts;
  for (int i = 0; i < window.hostList()->count(); ++i) hosts << window.hostList()->item(i)->text();
  // 10.0.0.2 (file f) has no decodable frame: it is among the skipped files.
  QCOMPARE(hosts, (QStringList{"1.1.1.1", "10.0.0.1", "192.168.0.1"}));
  // 192.168.0.1: hours 08 and 09 stitched, the cut copy's frames not counted twice.
  PlotPanel* panel = window.plotPanel();
  panel->setHostVisible(0, false);
  panel->setHostVisible(1, false);
  panel->redrawNow();
  const auto direct = zzping::gui::load_paths({kGolden + "/framedata"}, [](int) {});
  QCOMPARE(direct.hosts.size(), std::size_t{3});
  QCOMPARE(direct.hosts[2]->pyramid().level(0).size(), std::size_t{6000 + 449});
  panel->resetView();
  panel->redrawNow();
  QCOMPARE(panel->axisRanges().size(), std::size_t{2});
  // File (d) froze for 70 s at +41 s: zoomed there, the plot breaks instead of bridging.
  const std::int64_t d_start = 1'609'492'200'503;  // 09:10:00.503
  panel->setTimeRange({d_start + 30'000, d_start + 140'000});
  panel->redrawNow();
  QCOMPARE(panel->levelShown(2), std::size_t{0});
  const auto& s = panel->seriesShown(2);
  int breaks = 0;
  for (double v : s.rtt_ms[3]) breaks += std::isnan(v) ? 1 : 0;
  QVERIFY(breaks >= 1);
  QImage img = panel->render(QSize(1000, 400));
  QVERIFY(img.save(screenshot_path("golden-gap-d.png")));
}

QTEST_MAIN(PlotPanelTest)
#include "plot_panel_test.moc"
