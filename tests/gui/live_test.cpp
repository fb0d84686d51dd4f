// SPDX-License-Identifier: GPL-3.0-or-later
// QTest of live mode against a real stream server (the daemon's StreamServer on its own
// Asio thread, on 127.0.0.1), offscreen: backfill then live frames reach the plots,
// pausing freezes the view, a restarted daemon is resumed without duplicates, a wrong
// token is shown and not retried, two daemons side by side.
#include <QElapsedTimer>
#include <QTimer>
#include <QApplication>
#include <QDir>
#include <QListWidget>
#include <QTest>
#include <QTreeWidget>
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <chrono>
#include <cmath>
#include <future>
#include <memory>
#include <thread>

#include <QAction>
#include <QTcpServer>
#include <QTcpSocket>

#include "daemon_link.hpp"
#include "main_window.hpp"
#include "outage_model.hpp"
#include "plot_panel.hpp"
#include "screenshot.hpp"
#include "summary_dock.hpp"
#include "zzping/common/span_summary.hpp"
#include <QSignalSpy>
#include "zzping/formats/stream/messages.hpp"
#include "zzping/stream_server/stream_server.hpp"

using zzping::Frame;
using zzping::gui::DaemonLink;
using zzping::gui::MainWindow;
using zzping::view::LinkState;

namespace {

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Frame i of a host: 10 replies around 1 + (i % 50) / 10 ms, so each frame's median is known.
Frame frame_at(std::int64_t t_ms) {
  Frame f;
  f.t_ms = t_ms;
  f.sent = 10;
  f.recv = 10;
  const double base_us = 1000.0 + static_cast<double>((t_ms / 100) % 50) * 100.0;
  for (int i = 0; i < 10; ++i) f.rtt.add_us(base_us + i);
  return f;
}

// A StreamServer on its own io_context thread; the test talks to it through onLoop().
class LoopServer {
 public:
  explicit LoopServer(zzping::stream::StreamServerConfig config) : server_(io_, std::move(config)) {
    server_.start();
    thread_ = std::thread([this] { io_.run(); });
  }
  template <typename F>
  auto onLoop(F f) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto result = task.get_future();
    asio::post(io_, [&task] { task(); });
    return result.get();
  }
  ~LoopServer() {
    onLoop([this] { server_.stop(); });
    work_.reset();
    io_.stop();
    thread_.join();
  }
  quint16 port() { return server_.local_endpoints().at(0).port(); }
  zzping::stream::StreamServerStats stats() {
    return onLoop([this] { return server_.stats(); });
  }
  void publishHost(const std::string& name) {
    onLoop([&] { server_.publish_host({name, "192.0.2.1", 100, 100, 0.01}); });
  }
  // Frames [from, to) of `host`, 100 ms apart from t0_ms.
  void publishFrames(const std::string& host, std::int64_t t0_ms, int from, int to) {
    onLoop([&] {
      for (int i = from; i < to; ++i) server_.publish_frame(host, frame_at(t0_ms + i * 100));
    });
  }
  void publishEvent(const std::string& host, const zzping::LossEvent& e) {
    onLoop([&] { server_.publish_event(host, e); });
  }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  zzping::stream::StreamServer server_;
  std::thread thread_;
};

zzping::stream::StreamServerConfig loopback(const std::string& listen = "127.0.0.1:0",
                                            std::optional<std::string> token = {}) {
  zzping::stream::StreamServerConfig c;
  c.listen = {listen};
  c.token = std::move(token);
  return c;
}

DaemonLink::Options daemon(quint16 port, std::optional<std::string> token = {}) {
  DaemonLink::Options o;
  o.host = "127.0.0.1";
  o.port = port;
  o.token = std::move(token);
  o.initial_backoff_ms = 50;
  o.max_backoff_ms = 200;
  return o;
}

std::uint64_t frames_of(const MainWindow& w, std::size_t host) {
  return host < w.hosts().size() ? w.hosts()[host]->pyramid().frames_appended() : 0;
}

}  // namespace

class LiveTest : public QObject {
  Q_OBJECT

 private slots:
  void backfillThenLiveFramesArePlottedAndFollowed();
  void pauseFreezesTheViewWhileFramesArrive();
  void restartedDaemonIsResumedWithoutDuplicates();
  void wrongTokenIsShownAndNotRetried();
  void hostsOfTwoDaemonsSideBySide();
  void newerProtocolMajorIsShownAsVersionRefusedAndNotRetried();
  void liveHostsKeepRawFramesOnlyForTheDetailWindow();
  void screenshotWaitsForTheBackfill();
  void screenshotDoesNotWaitForLiveFramesToStop();
};

void LiveTest::backfillThenLiveFramesArePlottedAndFollowed() {
  LoopServer server(loopback());
  const std::int64_t t0 = (wall_ms() - 120'000) / 100 * 100;
  for (const char* h : {"a", "b"}) {
    server.publishHost(h);
    server.publishFrames(h, t0, 0, 600);  // a minute of backfill
  }
  MainWindow window;
  window.resize(1000, 700);
  window.show();
  DaemonLink* link = window.connectDaemon(daemon(server.port()));
  QTRY_COMPARE_WITH_TIMEOUT(frames_of(window, 0) + frames_of(window, 1), std::uint64_t{1200}, 10000);
  QCOMPARE(link->state(), LinkState::Connected);
  QTRY_COMPARE(window.hostList()->count(), 2);
  // The stream's host list says each host's role (internet: none configured).
  QCOMPARE(window.hostList()->item(0)->text(), QString("a (internet)"));
  QVERIFY2(window.daemonList()->item(0)->text().contains("connected, 2 hosts"),
           qPrintable(window.daemonList()->item(0)->text()));

  // Live frames and an outage.
  server.publishFrames("a", t0, 600, 650);
  server.publishFrames("b", t0, 600, 650);
  server.publishEvent("a", {t0 + 64'000, t0 + 64'500, 5});
  QTRY_COMPARE_WITH_TIMEOUT(frames_of(window, 0) + frames_of(window, 1), std::uint64_t{1300}, 10000);
  QTRY_COMPARE(window.outageModel()->rowCount(), 1);
  QCOMPARE(window.outageModel()->rows()[0].host_name, QString("a (internet)"));

  // The view follows the newest frame; zoom in to the raw frames and check the values.
  auto* panel = window.plotPanel();
  QTRY_COMPARE(panel->timeRange().end_ms, t0 + 65'000);
  const QString shots = QString(ZZPING_BINARY_DIR) + "/gui-screenshots";
  QVERIFY(QDir().mkpath(shots));
  panel->redrawNow();
  QVERIFY(window.grab().save(shots + "/live.png"));
  panel->zoom(20.0 / static_cast<double>(panel->timeRange().span_ms()) * 1000.0,
              panel->timeRange().end_ms);
  panel->redrawNow();
  QCOMPARE(panel->levelShown(0), std::size_t{0});
  const auto& s = panel->seriesShown(0);
  QVERIFY(s.x_s.size() >= 100);
  QCOMPARE(s.x_s.back(), static_cast<double>(t0 + 64'900 + 50) / 1000.0);
  // The median plotted is the one sent (within the stream's RTT quantisation).
  const double sent_median_ms = frame_at(t0 + 64'900).rtt.seven_quantiles_us()[3] / 1000.0;
  const double plotted_ms = s.rtt_ms[zzping::view::kP50].back();
  QVERIFY2(std::abs(plotted_ms - sent_median_ms) < 0.02 * sent_median_ms,
           qPrintable(QString("plotted %1 ms, sent %2 ms").arg(plotted_ms).arg(sent_median_ms)));
}

void LiveTest::pauseFreezesTheViewWhileFramesArrive() {
  LoopServer server(loopback());
  const std::int64_t t0 = (wall_ms() - 60'000) / 100 * 100;
  server.publishHost("a");
  server.publishFrames("a", t0, 0, 100);
  MainWindow window;
  window.show();
  window.connectDaemon(daemon(server.port()));
  QTRY_COMPARE_WITH_TIMEOUT(frames_of(window, 0), std::uint64_t{100}, 10000);
  QTRY_COMPARE(window.plotPanel()->timeRange().end_ms, t0 + 10'000);

  window.pauseAction()->setChecked(true);
  const auto frozen = window.plotPanel()->timeRange();
  server.publishFrames("a", t0, 100, 200);
  QTRY_COMPARE_WITH_TIMEOUT(frames_of(window, 0), std::uint64_t{200}, 10000);
  QTest::qWait(2 * MainWindow::kLiveRedrawMs);
  QCOMPARE(window.plotPanel()->timeRange(), frozen);

  window.pauseAction()->setChecked(false);
  QCOMPARE(window.plotPanel()->timeRange().end_ms, t0 + 20'000);
  QCOMPARE(window.plotPanel()->timeRange().span_ms(), frozen.span_ms());
}

void LiveTest::restartedDaemonIsResumedWithoutDuplicates() {
  const std::int64_t t0 = (wall_ms() - 60'000) / 100 * 100;
  auto server = std::make_unique<LoopServer>(loopback());
  const quint16 port = server->port();
  server->publishHost("a");
  server->publishFrames("a", t0, 0, 100);
  MainWindow window;
  DaemonLink* link = window.connectDaemon(daemon(port));
  QTRY_COMPARE_WITH_TIMEOUT(frames_of(window, 0), std::uint64_t{100}, 10000);

  server.reset();  // the daemon goes away
  QTRY_COMPARE_WITH_TIMEOUT(link->state(), LinkState::Reconnecting, 10000);
  QVERIFY(window.daemonList()->item(0)->text().contains("reconnecting"));

  // It comes back on the same port holding the old frames and newer ones.
  server = std::make_unique<LoopServer>(loopback("127.0.0.1:" + std::to_string(port)));
  server->publishHost("a");
  server->publishFrames("a", t0, 0, 150);
  QTRY_COMPARE_WITH_TIMEOUT(link->state(), LinkState::Connected, 10000);
  QTRY_COMPARE_WITH_TIMEOUT(frames_of(window, 0), std::uint64_t{150}, 10000);
  QTest::qWait(300);
  QCOMPARE(frames_of(window, 0), std::uint64_t{150});
  QCOMPARE(window.hosts()[0]->pyramid().dropped_frames(), std::uint64_t{0});
  QCOMPARE(window.hostList()->count(), 1);
}

void LiveTest::wrongTokenIsShownAndNotRetried() {
  LoopServer server(loopback("127.0.0.1:0", "sesame"));
  server.publishHost("a");
  MainWindow window;
  DaemonLink* link = window.connectDaemon(daemon(server.port(), "wrong"));
  QTRY_COMPARE_WITH_TIMEOUT(link->state(), LinkState::TokenRefused, 10000);
  QVERIFY2(window.daemonList()->item(0)->text().contains("token refused"),
           qPrintable(window.daemonList()->item(0)->text()));
  QVERIFY(link->lastReason().contains("wrong token"));
  QTest::qWait(500);  // ten backoff periods: a retry would have happened
  QCOMPARE(server.stats().accepted, std::uint64_t{1});
  QCOMPARE(window.hostList()->count(), 0);

  // The right token gets in.
  DaemonLink* good = window.connectDaemon(daemon(server.port(), "sesame"));
  QTRY_COMPARE_WITH_TIMEOUT(good->state(), LinkState::Connected, 10000);
}

void LiveTest::hostsOfTwoDaemonsSideBySide() {
  LoopServer one(loopback());
  LoopServer two(loopback());
  const std::int64_t t0 = (wall_ms() - 60'000) / 100 * 100;
  for (LoopServer* s : {&one, &two}) {
    s->publishHost("gw");
    s->publishFrames("gw", t0, 0, 50);
  }
  MainWindow window;
  window.connectDaemon(daemon(one.port()));
  window.connectDaemon(daemon(two.port()));
  QTRY_COMPARE_WITH_TIMEOUT(window.hostList()->count(), 2, 10000);
  QTRY_COMPARE_WITH_TIMEOUT(frames_of(window, 0) + frames_of(window, 1), std::uint64_t{100}, 10000);
  QStringList names{window.hostList()->item(0)->text(), window.hostList()->item(1)->text()};
  names.sort();
  QStringList expected{QString("gw @ 127.0.0.1:%1 (internet)").arg(one.port()),
                       QString("gw @ 127.0.0.1:%1 (internet)").arg(two.port())};
  expected.sort();
  QCOMPARE(names, expected);
  QCOMPARE(window.daemonList()->count(), 2);
}

// A fake daemon (a QTcpServer in the test) that greets with protocol major 2: the link
// must say "version refused", keep the reason, and not reconnect (retrying cannot help).
void LiveTest::newerProtocolMajorIsShownAsVersionRefusedAndNotRetried() {
  QTcpServer fake;
  QVERIFY(fake.listen(QHostAddress::LocalHost, 0));
  int accepted = 0;
  connect(&fake, &QTcpServer::newConnection, &fake, [&] {
    while (QTcpSocket* s = fake.nextPendingConnection()) {
      ++accepted;
      zzping::stream::Hello hello;
      hello.major = zzping::stream::kProtocolMajor + 1;
      hello.minor = 0;
      hello.software = "zzpingd from the future";
      const std::vector<std::uint8_t> bytes = zzping::stream::encode_message(hello);
      s->write(reinterpret_cast<const char*>(bytes.data()), static_cast<qint64>(bytes.size()));
      s->setParent(&fake);
    }
  });
  MainWindow window;
  DaemonLink* link = window.connectDaemon(daemon(fake.serverPort()));
  QTRY_COMPARE_WITH_TIMEOUT(link->state(), LinkState::VersionRefused, 10000);
  QVERIFY2(link->lastReason().contains("protocol version 2.0"), qPrintable(link->lastReason()));
  QVERIFY2(window.daemonList()->item(0)->text().contains("version refused"),
           qPrintable(window.daemonList()->item(0)->text()));
  QTest::qWait(500);  // ten backoff periods: a retry would have happened
  QCOMPARE(accepted, 1);
  QCOMPARE(link->state(), LinkState::VersionRefused);
  QCOMPARE(window.hostList()->count(), 0);
}

// Ten minutes of backfill with a 2-minute detail window: the raw level keeps at most the
// window plus one trimming step (1 min), the 1 min level keeps everything, and an old
// minute is drawn from 1 min buckets.
void LiveTest::liveHostsKeepRawFramesOnlyForTheDetailWindow() {
  LoopServer server(loopback());
  const std::int64_t t0 = (wall_ms() - 15 * 60'000) / 60'000 * 60'000;
  server.publishHost("a");
  server.publishFrames("a", t0, 0, 6000);
  MainWindow window;
  window.setLiveDetailWindow(2 * 60'000);
  window.connectDaemon(daemon(server.port()));
  QTRY_COMPARE_WITH_TIMEOUT(frames_of(window, 0), std::uint64_t{6000}, 10000);
  const auto& host = *window.hosts()[0];
  QCOMPARE(host.fine_retention(), std::int64_t{2 * 60'000});
  QVERIFY2(host.pyramid().level(0).size() <= 3 * 600, qPrintable(QString::number(host.pyramid().level(0).size())));
  QVERIFY(host.pyramid().level(0).size() >= 2 * 600);
  std::size_t minute_level = 0;
  while (host.level_bucket_ms(minute_level) != 60'000) ++minute_level;
  QVERIFY(host.pyramid().level(minute_level).size() >= 9);  // 9 closed minutes + the open one
  auto* panel = window.plotPanel();
  QTRY_COMPARE(panel->hostCount(), std::size_t{1});  // hosts join the plots on the live timer
  window.pauseAction()->setChecked(true);
  panel->setTimeRange({t0 + 60'000, t0 + 120'000});
  panel->redrawNow();
  QCOMPARE(host.level_bucket_ms(panel->levelShown(0)), 60'000u);
  QVERIFY(!panel->bucketsShown(0).empty());
}

// --screenshot in live mode: taken once every host's backfill has arrived and is drawn,
// not at the first frame (the backfill comes in blocks).
void LiveTest::screenshotWaitsForTheBackfill() {
  LoopServer server(loopback());
  const std::int64_t t0 = (wall_ms() - 600'000) / 100 * 100;
  for (const char* h : {"a", "b"}) {
    server.publishHost(h);
    server.publishFrames(h, t0, 0, 3000);  // five minutes of backfill each
  }
  MainWindow window;
  window.resize(1600, 1000);
  window.show();
  window.connectDaemon(daemon(server.port()));
  const QString shots = QString(ZZPING_BINARY_DIR) + "/gui-screenshots";
  QVERIFY(QDir().mkpath(shots));
  zzping::gui::ScreenshotTaker taker(window, shots + "/live-screenshot.png");
  QSignalSpy done(&taker, &zzping::gui::ScreenshotTaker::done);
  taker.start();
  QVERIFY(done.wait(20'000));
  QVERIFY2(done.at(0).at(0).toBool(), qPrintable(done.at(0).at(1).toStringList().join("\n")));
  QCOMPARE(frames_of(window, 0) + frames_of(window, 1), std::uint64_t{6000});
  QCOMPARE(window.plotPanel()->timeRange().end_ms, t0 + 300'000);
  QVERIFY(!taker.image().isNull());
  // The Summary dock of a live host: exact quantiles of the frames received in the view
  // (within the stream's RTT quantisation).
  const zzping::gui::SummaryDock& dock = *window.summaryDock();
  const zzping::view::TimeRange view = window.plotPanel()->timeRange();
  zzping::SpanAccumulator sent(view.begin_ms, view.end_ms, zzping::RttQuantiser{});
  for (int i = 0; i < 3000; ++i) {
    const Frame f = frame_at(t0 + i * 100);
    if (f.t_ms >= view.begin_ms && f.t_ms < view.end_ms) sent.add(f, zzping::BurstRecording::kRecorded);
  }
  const zzping::SpanSummary expected = sent.summarize("a");
  const int row = dock.rowOf("a");
  QVERIFY(row >= 0);
  QCOMPARE(dock.value(row, zzping::gui::SummaryDock::kSent), static_cast<double>(expected.sent));
  for (const auto& [column, q] : {std::pair{zzping::gui::SummaryDock::kP50, 1}, std::pair{zzping::gui::SummaryDock::kP95, 2},
                                 std::pair{zzping::gui::SummaryDock::kP99, 3}}) {
    const double want = (*expected.rtt_us)[static_cast<std::size_t>(q)] / 1000.0;
    const double got = dock.value(row, column);
    QVERIFY2(std::abs(got - want) <= 0.02 * want, qPrintable(QString("column %1: %2 ms, sent %3 ms").arg(column).arg(got).arg(want)));
  }

  // A daemon that never answers: the wait gives up and says why.
  QTcpServer silent;
  QVERIFY(silent.listen(QHostAddress::LocalHost));
  MainWindow waiting;
  waiting.connectDaemon(daemon(silent.serverPort()));
  zzping::gui::ScreenshotTaker bounded(waiting, shots + "/live-gave-up.png", 300);
  QSignalSpy gave_up(&bounded, &zzping::gui::ScreenshotTaker::done);
  bounded.start();
  QVERIFY(gave_up.wait(5'000));
  QVERIFY(!gave_up.at(0).at(0).toBool());
  const QString why = gave_up.at(0).at(1).toStringList().join("\n");
  QVERIFY2(why.contains("gave up waiting") && why.contains("backfill"), qPrintable(why));
}

// With a real daemon live frames never stop (every 100 ms per host): the screenshot waits
// for the backfill to arrive and be drawn, not for a pause in the frames (before the fix it
// gave up after its bound, "live data not drawn yet").
void LiveTest::screenshotDoesNotWaitForLiveFramesToStop() {
  LoopServer server(loopback());
  const std::int64_t t0 = (wall_ms() - 120'000) / 100 * 100;
  server.publishHost("a");
  server.publishFrames("a", t0, 0, 600);  // a minute of backfill
  int next = 600;
  QTimer live;
  connect(&live, &QTimer::timeout, this, [&] {
    server.publishFrames("a", t0, next, next + 1);
    ++next;
  });
  live.start(30);  // faster than the 250 ms redraw: something is always waiting to be drawn
  MainWindow window;
  window.show();
  window.connectDaemon(daemon(server.port()));
  zzping::gui::ScreenshotTaker taker(window, QString(ZZPING_BINARY_DIR) + "/gui-screenshots/live-flowing.png");
  QSignalSpy done(&taker, &zzping::gui::ScreenshotTaker::done);
  QElapsedTimer clock;
  clock.start();
  taker.start();
  QVERIFY(done.wait(30'000));
  QVERIFY2(done.at(0).at(0).toBool(), qPrintable(done.at(0).at(1).toStringList().join("\n")));
  QVERIFY2(clock.elapsed() < 10'000, qPrintable(QString("took %1 ms").arg(clock.elapsed())));
  QVERIFY(frames_of(window, 0) >= 600);
  QVERIFY(next > 610);  // live frames did flow meanwhile
}

QTEST_MAIN(LiveTest)
#include "live_test.moc"
