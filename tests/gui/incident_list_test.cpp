// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 13's GUI: native 1.2 files with roles, incidents and path snapshots (written with
// the native writer) opened in the window: the incident list (cause colour-coded, targets,
// last hop; sort, N/P, CSV; every column visible at the default size), the path snapshots
// of the selected incident, roles next to host names and hosts ordered gateway, isp,
// internet. Screenshot: gui-screenshots/incident-list.png.
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QListWidget>

#include "main_window.hpp"
#include "outage_model.hpp"
#include "path_view.hpp"
#include "plot_panel.hpp"
#include "synthetic_host.hpp"
#include "zzping/formats/native/file_format.hpp"

using zzping::Frame;
using zzping::PathHop;
using zzping::PathSnapshot;
using zzping::PathTrigger;
using zzping::attribution::Cause;
using zzping::attribution::Incident;
using zzping::attribution::Role;
using zzping::gui::MainWindow;
using zzping::gui::OutageListModel;
using zzping::gui::PathView;

namespace {

constexpr std::int64_t kT0 = 1'609'459'200'000;  // 2021-01-01 00:00 UTC
constexpr std::int64_t kMinute = 60'000;

QString screenshot_path(const QString& name) {
  const QString dir = QString(ZZPING_BINARY_DIR) + "/gui-screenshots";
  QDir().mkpath(dir);
  return dir + "/" + name;
}

// Incident 1 (5 min): upstream, both internet targets, the trace during it ends at the ISP
// hop. Incident 2 (15 min): gateway_only, the gateway alone, no trace ran.
Incident upstream_incident() {
  return {kT0 + 5 * kMinute, kT0 + 5 * kMinute + 2'900, Cause::upstream, {"far.example", "near.example"}, 60,
          "10.0.2.1"};
}
Incident gateway_incident() {
  return {kT0 + 15 * kMinute, kT0 + 15 * kMinute + 2'900, Cause::gateway_only, {"router"}, 30, ""};
}

PathSnapshot path_at(std::int64_t t_ms, PathTrigger trigger, bool reached) {
  PathSnapshot p;
  p.t_ms = t_ms;
  p.trigger = trigger;
  p.reached = reached;
  p.hops = {PathHop{1, "10.0.1.1", 400}, PathHop{2, "10.0.2.1", 900}};
  p.hops.push_back(reached ? PathHop{3, "192.0.2.7", 1500} : PathHop{3, "", std::nullopt});
  return p;
}

// 20 minutes of synthetic frames of one host in a native 1.2 file, with its role, the
// incidents it took part in and its paths.
void write_host(const QString& dir, const std::string& host, Role role, const std::vector<Incident>& incidents,
                const std::vector<PathSnapshot>& paths, std::uint64_t seed) {
  namespace native = zzping::native;
  native::FileHeader header;
  header.host = host;
  header.start_ms = kT0;
  header.role = role;
  std::vector<std::uint8_t> bytes = native::encode_header(header);
  zzping::testing::SyntheticHost source(kT0, seed);
  std::vector<Frame> frames;
  for (int i = 0; i < 12'000; ++i) frames.push_back(source.next());
  native::append_frame_record(frames, header, bytes);
  for (const Incident& i : incidents) native::append_incident_record(i, bytes);
  for (const PathSnapshot& p : paths) native::append_path_record(p, bytes);
  QFile f(dir + "/" + QString::fromStdString(host) + ".zzf");
  QVERIFY(f.open(QIODevice::WriteOnly));
  QCOMPARE(f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<qint64>(bytes.size())),
           static_cast<qint64>(bytes.size()));
}

QString cell(const QTreeView* view, int row, int column, int role = Qt::DisplayRole) {
  return view->model()->index(row, column).data(role).toString();
}

}  // namespace

class IncidentListTest : public QObject {
  Q_OBJECT

 private slots:
  void incidentListWithPathsAndRoles();
  void dataWithoutIncidentsKeepsHostOutages();
};

void IncidentListTest::incidentListWithPathsAndRoles() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  // Each target's file holds the incidents it took part in: the upstream one twice.
  write_host(dir.path(), "near.example", Role::internet, {upstream_incident()},
             {path_at(kT0 + 4 * kMinute, PathTrigger::interval, true),
              path_at(kT0 + 5 * kMinute + 300, PathTrigger::loss_burst, false)},
             1);
  write_host(dir.path(), "far.example", Role::isp, {upstream_incident()}, {}, 2);
  write_host(dir.path(), "router", Role::gateway, {gateway_incident()}, {}, 3);

  MainWindow window;
  QSignalSpy loaded(&window, &MainWindow::loadingFinished);
  window.openPaths({dir.path()});
  QVERIFY(loaded.wait(30'000));
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));

  // Roles next to the names, gateway first, then isp, then internet.
  QListWidget* hosts = window.hostList();
  QCOMPARE(hosts->count(), 3);
  QCOMPARE(hosts->item(0)->text(), QString("router (gateway)"));
  QCOMPARE(hosts->item(1)->text(), QString("far.example (isp)"));
  QCOMPARE(hosts->item(2)->text(), QString("near.example (internet)"));
  QCOMPARE(window.hosts()[0]->name(), std::string("router"));
  QCOMPARE(window.calendarHost()->itemText(0), QString("router (gateway)"));
  // Hiding a host hides that host's plots (the rows follow the reordered hosts).
  hosts->item(1)->setCheckState(Qt::Unchecked);
  QVERIFY(!window.plotPanel()->hostVisible(1));
  QVERIFY(window.plotPanel()->hostVisible(0) && window.plotPanel()->hostVisible(2));
  hosts->item(1)->setCheckState(Qt::Checked);

  // One row per incident (the copies in two files count once), in start order.
  QTreeView* list = window.eventList();
  QVERIFY(window.outageModel()->incidents());
  QCOMPARE(list->model()->rowCount(), 2);
  QCOMPARE(list->model()->headerData(OutageListModel::kHost, Qt::Horizontal).toString(), QString("targets"));
  QCOMPARE(cell(list, 0, OutageListModel::kHost), QString("far.example, near.example"));
  QCOMPARE(cell(list, 0, OutageListModel::kCause), QString("upstream"));
  QCOMPARE(cell(list, 0, OutageListModel::kLastHop), QString("10.0.2.1"));
  QCOMPARE(cell(list, 0, OutageListModel::kLost), QString("60"));
  QCOMPARE(cell(list, 0, OutageListModel::kDuration), QString("2.9 s"));
  QCOMPARE(cell(list, 1, OutageListModel::kCause), QString("gateway_only"));
  QCOMPARE(cell(list, 1, OutageListModel::kLastHop), QString("-"));
  // Colour-coded, one colour per cause, explained in the tooltips and the legend.
  const QColor upstream = list->model()->index(0, OutageListModel::kCause).data(Qt::DecorationRole).value<QColor>();
  const QColor gateway = list->model()->index(1, OutageListModel::kCause).data(Qt::DecorationRole).value<QColor>();
  QCOMPARE(upstream, zzping::gui::cause_colour(Cause::upstream));
  QCOMPARE(gateway, zzping::gui::cause_colour(Cause::gateway_only));
  QVERIFY(upstream != gateway);
  QVERIFY(cell(list, 1, OutageListModel::kCause, Qt::ToolTipRole).contains("not user-affecting"));
  QVERIFY(window.causeLegend()->isVisible());
  for (const char* cause : {"local", "upstream", "destination", "gateway_only", "unknown"}) {
    QVERIFY(window.causeLegend()->text().contains(cause));
    QVERIFY(window.causeLegend()->toolTip().contains(cause));
  }
  QVERIFY(window.causeLegend()->toolTip().contains("ICMP deprioritised at the router"));

  // Every column visible at the default window size, the numbers whole.
  QVERIFY(!list->horizontalScrollBar()->isVisible());
  for (int c = 0; c < OutageListModel::kColumnCount; ++c) {
    QVERIFY(!list->isColumnHidden(c));
    const int right = list->header()->sectionViewportPosition(c) + list->header()->sectionSize(c);
    QVERIFY2(right <= list->viewport()->width(),
             qPrintable(QString("column %1 ends at %2 of %3").arg(c).arg(right).arg(list->viewport()->width())));
  }
  for (const int c : {OutageListModel::kStart, OutageListModel::kCause, OutageListModel::kLastHop}) {
    QVERIFY(list->header()->sectionSize(c) >= list->fontMetrics().horizontalAdvance(cell(list, 0, c)));
  }

  // Selecting an incident zooms to it and shows the trace during it and the one before.
  QTest::mouseClick(list->viewport(), Qt::LeftButton, Qt::NoModifier,
                    list->visualRect(list->model()->index(0, 0)).center());
  const zzping::view::TimeRange r = window.plotPanel()->timeRange();
  QVERIFY(r.begin_ms <= kT0 + 5 * kMinute && r.end_ms >= kT0 + 5 * kMinute + 2'900 && r.span_ms() <= 10'000);
  PathView* paths = window.pathView();
  QVERIFY(paths->isVisible());
  QCOMPARE(paths->topLevelItemCount(), 2);
  QTreeWidgetItem* during = paths->topLevelItem(0);
  QVERIFY2(during->text(0).startsWith("near.example, during") && during->text(0).contains("not reached") &&
               during->text(0).contains("last answer 10.0.2.1"),
           qPrintable(during->text(0)));
  QCOMPARE(during->childCount(), 3);
  QCOMPARE(during->child(1)->text(PathView::kAddress), QString("10.0.2.1"));
  QCOMPARE(during->child(1)->text(PathView::kRtt), QString("0.90"));
  QCOMPARE(during->child(2)->text(PathView::kAddress), QString("*"));
  QTreeWidgetItem* before = paths->topLevelItem(1);
  QVERIFY2(before->text(0).startsWith("near.example, before") && before->text(0).contains("target reached"),
           qPrintable(before->text(0)));
  QCOMPARE(before->child(2)->text(PathView::kAddress), QString("192.0.2.7"));
  // Rows arriving later (detail, live) keep the selection and its paths.
  zzping::gui::Evidence more;
  more.add_incident({kT0 + kMinute, kT0 + kMinute + 500, Cause::destination, {"near.example"}, 5, ""});
  window.addHosts({}, {}, {}, more);
  QCOMPARE(list->model()->rowCount(), 3);
  QCOMPARE(list->currentIndex().row(), 1);
  QCOMPARE(cell(list, 1, OutageListModel::kCause), QString("upstream"));
  QCOMPARE(paths->topLevelItemCount(), 2);
  window.resize(1600, 1000);
  QTest::qWait(50);
  QVERIFY(window.grab().save(screenshot_path("incident-list.png")));

  // N: the next incident (no snapshot of its target: the panel says so); P: back.
  window.plotPanel()->setFocus();
  QTest::keyClick(&window, Qt::Key_N);
  QCOMPARE(list->currentIndex().row(), 2);
  QCOMPARE(paths->topLevelItemCount(), 1);
  QVERIFY(paths->topLevelItem(0)->text(0).startsWith("No path snapshot"));
  QTest::keyClick(&window, Qt::Key_P);
  QCOMPARE(list->currentIndex().row(), 1);
  QCOMPARE(paths->topLevelItemCount(), 2);

  // Sorting by cause compares the names; the CSV follows the order shown.
  list->sortByColumn(OutageListModel::kCause, Qt::AscendingOrder);
  QCOMPARE(cell(list, 0, OutageListModel::kCause), QString("destination"));
  QCOMPARE(cell(list, 1, OutageListModel::kCause), QString("gateway_only"));
  const QString csv = screenshot_path("incidents.csv");
  QString error;
  QVERIFY2(window.exportOutagesCsv(csv, &error), qPrintable(error));
  QFile f(csv);
  QVERIFY(f.open(QIODevice::ReadOnly));
  const QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
  QCOMPARE(lines.size(), 4);
  QCOMPARE(lines[0], QString("targets,start_utc,start_local,end_utc,duration_ms,probes_lost,cause,last_hop"));
  QVERIFY2(lines[2].startsWith("router,2021-01-01T00:15:00.000Z,") && lines[2].endsWith(",2900,30,gateway_only,"),
           qPrintable(lines[2]));
  QVERIFY2(lines[3].startsWith("far.example near.example,") && lines[3].endsWith(",60,upstream,10.0.2.1"),
           qPrintable(lines[3]));
}

// zzping 0.2 imports and older files have no incidents: one row per outage of each host,
// without the cause and last hop columns, the legend or the path panel.
void IncidentListTest::dataWithoutIncidentsKeepsHostOutages() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  write_host(dir.path(), "a", Role::internet, {}, {}, 1);
  MainWindow window;
  QSignalSpy loaded(&window, &MainWindow::loadingFinished);
  window.openPaths({dir.path()});
  QVERIFY(loaded.wait(30'000));
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  QTreeView* list = window.eventList();
  QVERIFY(!window.outageModel()->incidents());
  QCOMPARE(list->model()->rowCount(), 2);  // the synthetic outages at 5 and 15 min
  QCOMPARE(list->model()->headerData(OutageListModel::kHost, Qt::Horizontal).toString(), QString("host"));
  QCOMPARE(cell(list, 0, OutageListModel::kHost), QString("a (internet)"));
  QVERIFY(list->isColumnHidden(OutageListModel::kCause) && list->isColumnHidden(OutageListModel::kLastHop));
  QVERIFY(!window.causeLegend()->isVisible());
  QVERIFY(!window.pathView()->isVisible());
}

QTEST_MAIN(IncidentListTest)
#include "incident_list_test.moc"
