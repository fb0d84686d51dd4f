// SPDX-License-Identifier: GPL-3.0-or-later
// QTest tests of the Summary dock (issue 12): its numbers equal a SpanAccumulator fed the
// raw frames of the visible range; sorting is numeric; the rows follow the view. Also the
// jitter in the hover text and the CSV export. Offscreen; the screenshot goes to
// <build>/gui-screenshots/summary-dock.png (docs/images/summary-dock.png is a copy).
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QTest>
#include <QTreeWidget>
#include <cmath>
#include <memory>
#include <vector>

#include "main_window.hpp"
#include "plot_panel.hpp"
#include "summary_dock.hpp"
#include "zzping/common/span_summary.hpp"
#include "zzping/common/view/host_timeline.hpp"

using zzping::Frame;
using zzping::LossEvent;
using zzping::SpanAccumulator;
using zzping::SpanSummary;
using zzping::gui::MainWindow;
using zzping::gui::SummaryDock;
using zzping::view::HostTimeline;
using zzping::view::TimeRange;

namespace {

constexpr std::int64_t kT0 = 1'609'488'000'000;  // 2021-01-01T08:00:00Z

// A host with known loss and jitter: 100 ms frames of 10 probes; one probe lost every
// `lose_every` frames; every pair of answered probes differs by `jitter_us` (absent when
// 0: zzping 0.2-like data); a recorded burst of 5 lost probes (400 ms) every minute at +30 s.
struct KnownHost {
  std::shared_ptr<HostTimeline> timeline;
  std::vector<Frame> frames;
  std::vector<LossEvent> events;
};

KnownHost known_host(const std::string& name, std::int64_t frames, int lose_every,
                     std::uint64_t jitter_us, bool bursts) {
  KnownHost h;
  h.timeline = std::make_shared<HostTimeline>(name);
  for (std::int64_t i = 0; i < frames; ++i) {
    Frame f;
    f.t_ms = kT0 + i * 100;
    f.sent = 10;
    f.lost = (i % lose_every == 0) ? 1 : 0;
    f.recv = f.sent - f.lost;
    for (std::uint32_t r = 0; r < f.recv; ++r) {
      f.rtt.add_us(2000.0 + static_cast<double>((r % 2) * jitter_us) + static_cast<double>(i % 13) * 10.0);
    }
    if (jitter_us > 0) f.jitter = zzping::JitterSum{(f.recv - 1) * jitter_us * 1000, f.recv - 1};
    h.timeline->append(f);
    h.frames.push_back(f);
  }
  if (bursts) {
    for (std::int64_t t = kT0 + 30'000; t < kT0 + frames * 100; t += 60'000) {
      const LossEvent e{t, t + 400, 5};
      h.timeline->add_recorded_event(e);
      h.events.push_back(e);
    }
  }
  return h;
}

SpanSummary direct(const KnownHost& h, TimeRange r) {
  SpanAccumulator acc(r.begin_ms, r.end_ms, zzping::RttQuantiser{});
  for (const Frame& f : h.frames) acc.add(f, h.timeline->burst_recording());
  for (const LossEvent& e : h.events) acc.add(e);
  return acc.summarize(h.timeline->name());
}

double opt(const std::optional<double>& v) { return v ? *v : std::nan(""); }

void compareRow(const SummaryDock& dock, const KnownHost& h, TimeRange r) {
  const SpanSummary s = direct(h, r);
  const int row = dock.rowOf(QString::fromStdString(s.host));
  QVERIFY(row >= 0);
  QCOMPARE(dock.value(row, SummaryDock::kSent), static_cast<double>(s.sent));
  QCOMPARE(dock.value(row, SummaryDock::kLost), static_cast<double>(s.lost));
  QCOMPARE(dock.value(row, SummaryDock::kLossPct), opt(s.loss_pct));
  QCOMPARE(dock.value(row, SummaryDock::kAvailability), opt(s.availability_pct));
  if (!s.loss_bursts) {  // not recorded: "n/a", no number
    QCOMPARE(dock.tree()->topLevelItem(row)->text(SummaryDock::kBursts), QString("n/a"));
    QVERIFY(std::isnan(dock.value(row, SummaryDock::kBursts)));
    QVERIFY(std::isnan(dock.value(row, SummaryDock::kLongestBurst)));
    return;
  }
  QCOMPARE(dock.value(row, SummaryDock::kBursts), static_cast<double>(s.loss_bursts->count));
  if (s.loss_bursts->count > 0) {
    QCOMPARE(dock.value(row, SummaryDock::kLongestBurst), static_cast<double>(s.loss_bursts->longest_ms) / 1000.0);
  } else {
    QVERIFY(std::isnan(dock.value(row, SummaryDock::kLongestBurst)));
  }
  if (s.jitter_us) {
    QCOMPARE(dock.value(row, SummaryDock::kJitter), *s.jitter_us / 1000.0);
  } else {
    // Absent, not zero: an empty cell.
    QVERIFY(std::isnan(dock.value(row, SummaryDock::kJitter)));
    QVERIFY(dock.tree()->topLevelItem(row)->text(SummaryDock::kJitter).isEmpty());
  }
  // Buckets keep no histogram: no quantile is made up from bucket quantiles.
  QVERIFY(std::isnan(dock.value(row, SummaryDock::kP50)));
  QVERIFY(dock.tree()->topLevelItem(row)->text(SummaryDock::kP95).isEmpty());
}

QString screenshot_path(const QString& name) {
  const QString dir = QString(ZZPING_BINARY_DIR) + "/gui-screenshots";
  QDir().mkpath(dir);
  return dir + "/" + name;
}

}  // namespace

class SummaryDockTest : public QObject {
  Q_OBJECT

 private slots:
  void dockEqualsTheSpanAccumulatorSortsNumericallyAndFollowsTheView();
  void hoverAndCsvCarryJitter();
};

void SummaryDockTest::dockEqualsTheSpanAccumulatorSortsNumericallyAndFollowsTheView() {
  // 20 minutes each. Loss 10 %, 2 % and 0.5 %: as text "10.000" sorts before "2.000".
  const KnownHost lossy = known_host("lossy", 12'000, 1, 1500, true);
  const KnownHost medium = known_host("medium", 12'000, 5, 300, true);
  const KnownHost old = known_host("old-0.2", 12'000, 20, 0, false);
  old.timeline->set_burst_recording(zzping::BurstRecording::kNotRecorded);  // as the file loader does for 0.2
  MainWindow window;
  window.resize(1600, 1000);
  window.addHosts({lossy.timeline, medium.timeline, old.timeline});
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  SummaryDock& dock = *window.summaryDock();

  // 2 minutes: raw frames. The timer (not a direct call) brings the rows.
  const TimeRange r1{kT0 + 60'000, kT0 + 180'000};
  window.plotPanel()->setTimeRange(r1);
  QTRY_COMPARE(dock.value(dock.rowOf("lossy"), SummaryDock::kSent), 12'000.0);
  QCOMPARE(dock.tree()->topLevelItemCount(), 3);
  for (const KnownHost* h : {&lossy, &medium, &old}) {
    compareRow(dock, *h, r1);
    if (QTest::currentTestFailed()) return;
  }
  QVERIFY2(dock.footnote()->text().contains("2021-01-01 08:01:00.000"), qPrintable(dock.footnote()->text()));
  QVERIFY(dock.tree()->topLevelItem(0)->toolTip(SummaryDock::kSent).contains("raw frames"));
  QCOMPARE(dock.value(dock.rowOf("lossy"), SummaryDock::kBursts), 2.0);
  QCOMPARE(dock.value(dock.rowOf("lossy"), SummaryDock::kJitter), 1.5);
  QVERIFY(std::isnan(dock.value(dock.rowOf("old-0.2"), SummaryDock::kMos)));
  QCOMPARE(dock.tree()->topLevelItem(dock.rowOf("old-0.2"))->text(SummaryDock::kAvailability), QString("n/a"));

  // Sorting by loss: a click on the header orders the rows by number, not by text.
  QHeaderView* header = dock.tree()->header();
  const int x = header->sectionViewportPosition(SummaryDock::kLossPct) + header->sectionSize(SummaryDock::kLossPct) / 2;
  QTest::mouseClick(header->viewport(), Qt::LeftButton, Qt::NoModifier, QPoint(x, header->height() / 2));
  QCOMPARE(dock.tree()->sortColumn(), static_cast<int>(SummaryDock::kLossPct));
  QStringList order;
  for (int r = 0; r < 3; ++r) order << dock.tree()->topLevelItem(r)->text(SummaryDock::kHost);
  const QStringList ascending{"old-0.2", "medium", "lossy"};
  const QStringList descending{"lossy", "medium", "old-0.2"};
  QVERIFY2(order == ascending || order == descending, qPrintable(order.join(",")));
  const bool was_ascending = order == ascending;
  QTest::mouseClick(header->viewport(), Qt::LeftButton, Qt::NoModifier, QPoint(x, header->height() / 2));
  order.clear();
  for (int r = 0; r < 3; ++r) order << dock.tree()->topLevelItem(r)->text(SummaryDock::kHost);
  QCOMPARE(order, was_ascending ? descending : ascending);

  // The whole 20 minutes (coarser buckets, aligned to the range): still exact counts,
  // and the sort order survives the refresh.
  const TimeRange r2{kT0, kT0 + 1'200'000};
  window.plotPanel()->setTimeRange(r2);
  QTRY_COMPARE(dock.value(dock.rowOf("lossy"), SummaryDock::kSent), 120'000.0);
  QVERIFY(window.plotPanel()->levelShown(0) > 0);
  for (const KnownHost* h : {&lossy, &medium, &old}) {
    compareRow(dock, *h, r2);
    if (QTest::currentTestFailed()) return;
  }
  order.clear();
  for (int r = 0; r < 3; ++r) order << dock.tree()->topLevelItem(r)->text(SummaryDock::kHost);
  QCOMPARE(order, was_ascending ? descending : ascending);
  QCOMPARE(dock.value(dock.rowOf("medium"), SummaryDock::kBursts), 20.0);

  // Hiding a host removes its row.
  window.hostList()->item(2)->setCheckState(Qt::Unchecked);
  QTRY_COMPARE(dock.tree()->topLevelItemCount(), 2);

  // The screenshot for docs/gui.md: the 20 minutes, the dock at the bottom.
  window.hostList()->item(2)->setCheckState(Qt::Checked);
  QTRY_COMPARE(dock.tree()->topLevelItemCount(), 3);
  window.plotPanel()->redrawNow();
  const QImage img = window.grab().toImage();
  QVERIFY(img.save(screenshot_path("summary-dock.png")));
  QVERIFY(dock.isVisible());
  // Every row is drawn whole inside the tree's viewport (a clipped dock is a bug).
  for (int r = 0; r < 3; ++r) {
    const QRect item = dock.tree()->visualItemRect(dock.tree()->topLevelItem(r));
    QVERIFY2(dock.tree()->viewport()->rect().contains(item),
             qPrintable(QString("row %1 at %2,%3 %4x%5, viewport height %6").arg(r).arg(item.x()).arg(item.y())
                            .arg(item.width()).arg(item.height()).arg(dock.tree()->viewport()->height())));
  }
}

void SummaryDockTest::hoverAndCsvCarryJitter() {
  const KnownHost lossy = known_host("lossy", 600, 1, 1500, false);
  MainWindow window;
  window.resize(1200, 800);
  window.addHosts({lossy.timeline});
  window.show();
  window.plotPanel()->setTimeRange({kT0 + 10'000, kT0 + 20'000});
  window.plotPanel()->redrawNow();
  const QRect r = window.plotPanel()->latencyRect(0);
  const QString hover = window.plotPanel()->hoverText(r.center());
  QVERIFY2(hover.contains("jitter: 1.500 ms (8 pairs)"), qPrintable(hover));
  const QString csv = screenshot_path("summary-export.csv");
  QString error;
  QVERIFY2(window.exportCsv(csv, &error), qPrintable(error));
  QFile f(csv);
  QVERIFY(f.open(QIODevice::ReadOnly));
  const QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
  QVERIFY(lines[0].startsWith("host,t_utc,t_ms,length_ms,sent,recv,lost,loss_pct,"));
  QVERIFY(lines[0].endsWith(",p100_us,jitter_us,t_local"));
  QVERIFY2(lines[1].contains(",1500.000,"), qPrintable(lines[1]));
}

QTEST_MAIN(SummaryDockTest)
#include "summary_dock_test.moc"
