// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// ScreenshotTaker: renders the window to a PNG once the view is what a person would see
// after waiting: files loaded, the detail the view needs read (data directories), every
// daemon's backfill arrived (live mode). The wait is bounded: past it, the window is
// rendered as it is and done() says what was still missing.
#include <QElapsedTimer>
#include <QImage>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

namespace zzping::gui {

class MainWindow;

class ScreenshotTaker : public QObject {
  Q_OBJECT

 public:
  static constexpr int kDefaultMaxWaitMs = 60'000;
  // How often the window is asked whether it has settled.
  static constexpr int kPollMs = 20;

  ScreenshotTaker(MainWindow& window, QString file, int max_wait_ms = kDefaultMaxWaitMs);
  void start();
  // The image taken (also after done()); null before.
  const QImage& image() const { return image_; }

 signals:
  // ok: written, no file had a problem and the view settled in time. `messages`: the
  // loading problems and, if it gave up waiting, why.
  void done(bool ok, QStringList messages);

 private:
  void check();
  void shoot(bool settled);

  MainWindow& window_;
  QString file_;
  int max_wait_ms_;
  QTimer poll_;
  QElapsedTimer waited_;
  QStringList messages_;
  bool loaded_ = false;
  QImage image_;
};

}  // namespace zzping::gui
