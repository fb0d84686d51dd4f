// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The zzping-report PDF (docs/report.md): A4, vector plots, selectable text. Drawn from the
// Qt-free model (zzping/formats/report, zzping/common/report) with the GUI's plot code, so
// the plots look as on screen. Used by zzping-report and the GUI's File -> Report; needs a
// QApplication (the plots are widgets, drawn off screen).
#include <QString>
#include <filesystem>
#include <optional>
#include <string>

#include "zzping/common/report/report_text.hpp"
#include "zzping/formats/report/report_data.hpp"

namespace zzping::report {

struct DocumentOptions {
  QString title = "Network quality report";
  TimeZone zone;
  bool redact = false;
  std::size_t max_incidents = 40;  // the rest: "and N more", see the CSV
  std::optional<std::filesystem::path> csv_dir;
};

// Writes the PDF; throws std::runtime_error naming the file when it cannot be written.
// Writes incidents.csv and minutes.csv into options.csv_dir when set.
void write_report_pdf(const ReportData& data, const DocumentOptions& options, const std::filesystem::path& pdf);

}  // namespace zzping::report
