// SPDX-License-Identifier: GPL-3.0-or-later
// QTest of File -> Report: the window writes the zzping-report document for the visible
// range of the data directory it opened (the same code as the tool), offscreen.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <cstdio>
#include <fstream>

#include "main_window.hpp"
#include "plot_panel.hpp"
#include "prerequisite.hpp"
#include "synthetic_data_dir.hpp"

using zzping::gui::MainWindow;

class ReportMenuTest : public QObject {
  Q_OBJECT

 private slots:
  void writesTheReportOfTheVisibleRange() {
    constexpr std::int64_t kT0 = 1'609'459'200'000;  // 2021-01-01T00:00:00Z
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    zzping::testing::DataDirSpec spec;
    spec.dir = dir.path().toStdString();
    spec.t0_ms = kT0;
    spec.hours = 2;
    zzping::testing::write_data_dir(spec);
    MainWindow window;
    window.resize(1200, 800);
    window.show();
    QSignalSpy finished(&window, &MainWindow::loadingFinished);
    window.openPaths({dir.path()});
    QVERIFY(finished.wait(30'000));
    window.plotPanel()->setTimeRange({kT0 + 600'000, kT0 + 4'200'000});
    const QString pdf = dir.path() + "/report.pdf";
    QString error;
    QVERIFY2(window.exportReport(pdf, &error), qPrintable(error));
    std::ifstream in(pdf.toStdString(), std::ios::binary);
    std::string head(5, '\0');
    in.read(head.data(), 5);
    QCOMPARE(QString::fromStdString(head), QString("%PDF-"));
    // The period is the visible range (times in the window's zone, UTC here).
    if (zzping::testing::find_program("pdftotext").empty()) {
      if (zzping::testing::all_tests_required()) QFAIL("missing prerequisite: pdftotext (scripts/install-deps.sh)");
      QSKIP("pdftotext is not installed (scripts/install-deps.sh)");
    }
    FILE* text = popen(("pdftotext " + pdf.toStdString() + " - 2>/dev/null").c_str(), "r");
    QVERIFY(text != nullptr);
    std::string out;
    char buf[4096];
    while (std::size_t n = fread(buf, 1, sizeof buf, text)) out.append(buf, n);
    QCOMPARE(pclose(text), 0);
    QVERIFY2(out.find("Period: 2021-01-01 00:10:00 to 2021-01-01 01:10:00") != std::string::npos, out.c_str());
    QVERIFY2(out.find("Summary per target") != std::string::npos, out.c_str());
  }
};

QTEST_MAIN(ReportMenuTest)
#include "report_menu_test.moc"
