// SPDX-License-Identifier: GPL-3.0-or-later
// zzping-gui: live and historical latency/loss plots.
#include <QApplication>
#include <QTimer>
#include <cstdio>

#include "command_line.hpp"
#include "daemon_link.hpp"
#include "main_window.hpp"
#include "plot_panel.hpp"
#include "screenshot.hpp"

namespace {

// Renders the window once the view has settled (files loaded, detail read, backfills
// arrived), writes it to `file`, and quits: 0 when all went well, else 1 with the
// problems on stderr.
void screenshot_when_settled(zzping::gui::MainWindow& window, const QString& file) {
  auto* taker = new zzping::gui::ScreenshotTaker(window, file);
  QObject::connect(taker, &zzping::gui::ScreenshotTaker::done, &window, [](bool ok, const QStringList& messages) {
    for (const QString& m : messages) std::fprintf(stderr, "zzping-gui: %s\n", qPrintable(m));
    QCoreApplication::exit(ok ? 0 : 1);
  });
  taker->start();
}

}  // namespace

int main(int argc, char** argv) {
  // The command line first: --help, --version and mistakes need no display.
  QStringList arguments;
  for (int i = 0; i < argc; ++i) arguments << QString::fromLocal8Bit(argv[i]);
  const zzping::gui::CommandLine command_line = zzping::gui::parse_command_line(arguments);
  if (!command_line.options) {
    std::fputs(qPrintable(command_line.text), command_line.exit_code == 0 ? stdout : stderr);
    return command_line.exit_code;
  }
  const zzping::gui::GuiOptions& options = *command_line.options;

  QApplication app(argc, argv);
  QApplication::setApplicationName("zzping-gui");
  QApplication::setApplicationVersion(ZZPING_VERSION);
  QApplication::setOrganizationName("zzping");

  zzping::gui::MainWindow window;
  // A screenshot shows the defaults, whatever the user's last session looked like.
  if (!options.screenshot) window.rememberSettings();
  if (options.size) window.resize(options.size->first, options.size->second);
  if (options.detail_mb) {
    zzping::view::DetailBudget budget = window.detailBudget();
    budget.max_bytes = static_cast<std::size_t>(*options.detail_mb) << 20;
    window.setDetailBudget(budget);
  }
  if (options.live_detail_hours) {
    window.setLiveDetailWindow(static_cast<std::int64_t>(*options.live_detail_hours * 3'600'000.0));
  }
  if (options.select_row) {
    // Direct connection: the row is selected before the screenshot can find the view settled.
    QObject::connect(&window, &zzping::gui::MainWindow::loadingFinished, &window,
                     [&window, row = *options.select_row - 1] { window.selectEventRow(row); });
  }
  if (!options.paths.isEmpty()) window.openPaths(options.paths);
  for (const auto& daemon : options.daemons) {
    zzping::gui::DaemonLink::Options link;
    link.host = daemon.host;
    link.port = daemon.port;
    link.token = options.token;
    link.backfill_ms = options.backfill_s * 1000;
    window.connectDaemon(std::move(link));
  }
  if (options.screenshot) screenshot_when_settled(window, *options.screenshot);
  window.show();
  return QApplication::exec();
}
