// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// PathView: the path snapshots of the selected incident (under the incident list): per
// target, the trace taken while it went on and the one before, one line per hop (TTL,
// address, RTT). What a provider's support asks for: where the path stopped answering.
#include <QTreeWidget>
#include <vector>

#include "display_zone.hpp"
#include "incident_evidence.hpp"

namespace zzping::gui {

class PathView : public QTreeWidget {
  Q_OBJECT

 public:
  enum Column : int { kTtl = 0, kAddress, kRtt, kColumnCount };

  explicit PathView(QWidget* parent = nullptr);
  // Shows `paths` (empty: says why nothing is shown: `empty_reason`).
  void showPaths(const std::vector<IncidentPath>& paths, const DisplayZone& zone, const QString& empty_reason);
};

}  // namespace zzping::gui
