// SPDX-License-Identifier: GPL-3.0-or-later
// zzping-gui: live and historical latency/loss plots.
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "main_window.hpp"
#include "plot_panel.hpp"

namespace {

int fail(const QString& reason) {
  std::fprintf(stderr, "zzping-gui: %s\n", qPrintable(reason));
  return 2;
}

// Renders the window once loading is done, writes it to `file`, and quits.
void screenshot_when_loaded(zzping::gui::MainWindow& window, const QString& file) {
  auto shoot = [&window, file](const QStringList& errors) {
    for (const QString& e : errors) std::fprintf(stderr, "zzping-gui: %s\n", qPrintable(e));
    window.plotPanel()->redrawNow();
    const bool ok = window.grab().save(file);
    if (!ok) std::fprintf(stderr, "zzping-gui: cannot write screenshot %s\n", qPrintable(file));
    QCoreApplication::exit(ok && errors.isEmpty() ? 0 : 1);
  };
  if (window.isLoading()) {
    QObject::connect(&window, &zzping::gui::MainWindow::loadingFinished, &window, shoot);
  } else {
    QTimer::singleShot(0, &window, [shoot] { shoot({}); });
  }
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName("zzping-gui");
  QApplication::setApplicationVersion(ZZPING_VERSION);

  QCommandLineParser parser;
  parser.setApplicationDescription(
      "Latency and loss plots from zzping files, data directories, or live daemons.");
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption connect_opt("connect", "Live frames from a zzpingd stream server "
                                       "(repeatable; [IPV6]:PORT for IPv6).", "HOST:PORT");
  const QCommandLineOption token_opt("token", "Token for daemons that require one (their "
                                     "stream_token); also read from $ZZPING_STREAM_TOKEN.", "TOKEN");
  const QCommandLineOption backfill_opt("backfill", "Live mode: seconds of history to fetch on "
                                        "connecting (default 3600, at most what the daemon holds).",
                                        "SECONDS");
  const QCommandLineOption shot_opt("screenshot", "Render the window to a PNG once the files "
                                    "are loaded, then exit.", "FILE");
  const QCommandLineOption size_opt("size", "Window size (default 1200x800).", "WxH");
  const QCommandLineOption detail_opt("detail-mb", "Data directories: MiB of raw / 1 s detail "
                                      "kept per host (default 256).", "MIB");
  const QCommandLineOption live_window_opt("live-detail-hours", "Live mode: hours of raw frames "
                                           "kept per host; older times show 1 min buckets "
                                           "(default 6).", "HOURS");
  parser.addOption(connect_opt);
  parser.addOption(detail_opt);
  parser.addOption(live_window_opt);
  parser.addOption(token_opt);
  parser.addOption(backfill_opt);
  parser.addOption(shot_opt);
  parser.addOption(size_opt);
  parser.addPositionalArgument("paths", "Native, FDQ v101 or FrameData files, or data directories.",
                               "[FILE|DIR]...");
  parser.process(app);

  std::vector<zzping::gui::DaemonLink::Options> daemons;
  for (const QString& address : parser.values(connect_opt)) {
    const auto parsed = zzping::view::parse_daemon_address(address.toStdString());
    if (!parsed) return fail("--connect: expected HOST:PORT or [IPV6]:PORT, got '" + address + "'");
    zzping::gui::DaemonLink::Options options;
    options.host = QString::fromStdString(parsed->host);
    options.port = parsed->port;
    daemons.push_back(options);
  }
  std::optional<std::string> token;
  if (parser.isSet(token_opt)) {
    token = parser.value(token_opt).toStdString();
  } else if (qEnvironmentVariableIsSet("ZZPING_STREAM_TOKEN")) {
    token = qEnvironmentVariable("ZZPING_STREAM_TOKEN").toStdString();
  }
  std::uint64_t backfill_s = 3600;
  if (parser.isSet(backfill_opt)) {
    bool ok = false;
    backfill_s = parser.value(backfill_opt).toULongLong(&ok);
    if (!ok || backfill_s > 366ULL * 86'400) {
      return fail("--backfill: expected seconds between 0 and 31622400, got '" +
                  parser.value(backfill_opt) + "'");
    }
  }
  // Both bounded so a typo cannot ask for terabytes: 16 MiB..64 GiB, 1 min..31 days.
  std::optional<std::uint64_t> detail_mb;
  if (parser.isSet(detail_opt)) {
    bool ok = false;
    detail_mb = parser.value(detail_opt).toULongLong(&ok);
    if (!ok || *detail_mb < 16 || *detail_mb > 65'536) {
      return fail("--detail-mb: expected MiB between 16 and 65536, got '" + parser.value(detail_opt) + "'");
    }
  }
  std::optional<double> live_hours;
  if (parser.isSet(live_window_opt)) {
    bool ok = false;
    live_hours = parser.value(live_window_opt).toDouble(&ok);
    if (!ok || !(*live_hours >= 1.0 / 60 && *live_hours <= 744.0)) {
      return fail("--live-detail-hours: expected hours between 0.0167 and 744, got '" +
                  parser.value(live_window_opt) + "'");
    }
  }
  if (parser.isSet(shot_opt) && !daemons.empty()) return fail("--screenshot works with files only");

  zzping::gui::MainWindow window;
  if (parser.isSet(size_opt)) {
    const QStringList wh = parser.value(size_opt).split('x');
    bool ok_w = false;
    bool ok_h = false;
    const int w = wh.size() == 2 ? wh[0].toInt(&ok_w) : 0;
    const int h = wh.size() == 2 ? wh[1].toInt(&ok_h) : 0;
    if (!ok_w || !ok_h || w < 200 || h < 150 || w > 10000 || h > 10000) {
      return fail("--size: expected WxH between 200x150 and 10000x10000, got '" +
                  parser.value(size_opt) + "'");
    }
    window.resize(w, h);
  }
  if (detail_mb) {
    zzping::view::DetailBudget budget = window.detailBudget();
    budget.max_bytes = static_cast<std::size_t>(*detail_mb) << 20;
    window.setDetailBudget(budget);
  }
  if (live_hours) window.setLiveDetailWindow(static_cast<std::int64_t>(*live_hours * 3'600'000.0));
  if (!parser.positionalArguments().isEmpty()) window.openPaths(parser.positionalArguments());
  for (auto& options : daemons) {
    options.token = token;
    options.backfill_ms = backfill_s * 1000;
    window.connectDaemon(std::move(options));
  }
  if (parser.isSet(shot_opt)) {
    if (parser.positionalArguments().isEmpty()) return fail("--screenshot needs files to show");
    screenshot_when_loaded(window, parser.value(shot_opt));
  }
  window.show();
  return QApplication::exec();
}
