// zzping-gui: live and historical latency/loss plots.
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <cstdio>

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
  const QCommandLineOption connect_opt("connect", "Live frames from a daemon (repeatable).",
                                       "HOST:PORT");
  const QCommandLineOption shot_opt("screenshot", "Render the window to a PNG once the files "
                                    "are loaded, then exit.", "FILE");
  const QCommandLineOption size_opt("size", "Window size (default 1200x800).", "WxH");
  parser.addOption(connect_opt);
  parser.addOption(shot_opt);
  parser.addOption(size_opt);
  parser.addPositionalArgument("paths", "Native, FDQ v101 or FrameData files, or data directories.",
                               "[FILE|DIR]...");
  parser.process(app);

  if (parser.isSet(connect_opt)) {
    return fail("--connect: live mode is not available yet (the stream client library is not "
                "integrated in this build); open files instead");
  }

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
  if (!parser.positionalArguments().isEmpty()) window.openPaths(parser.positionalArguments());
  if (parser.isSet(shot_opt)) {
    if (parser.positionalArguments().isEmpty()) return fail("--screenshot needs files to show");
    screenshot_when_loaded(window, parser.value(shot_opt));
  }
  window.show();
  return QApplication::exec();
}
