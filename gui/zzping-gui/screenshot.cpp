// SPDX-License-Identifier: GPL-3.0-or-later
#include "screenshot.hpp"

#include <QImage>
#include <QPixmap>

#include "main_window.hpp"

namespace zzping::gui {

ScreenshotTaker::ScreenshotTaker(MainWindow& window, QString file, int max_wait_ms)
    : QObject(&window), window_(window), file_(std::move(file)), max_wait_ms_(max_wait_ms) {
  poll_.setInterval(kPollMs);
  connect(&poll_, &QTimer::timeout, this, &ScreenshotTaker::check);
  // Loading problems are reported with the screenshot (and make the exit status 1).
  connect(&window_, &MainWindow::loadingFinished, this, [this](const QStringList& errors) {
    messages_ << errors;
    loaded_ = true;
  });
}

void ScreenshotTaker::start() {
  if (!window_.isLoading()) loaded_ = true;
  waited_.start();
  poll_.start();
}

void ScreenshotTaker::check() {
  if (loaded_ && window_.viewSettled()) return shoot(true);
  if (waited_.elapsed() < max_wait_ms_) return;
  messages_ << QString("gave up waiting after %1 s for %2; the screenshot shows what was there")
                   .arg(max_wait_ms_ / 1000.0)
                   .arg(window_.unsettledReason());
  shoot(false);
}

void ScreenshotTaker::shoot(bool settled) {
  poll_.stop();
  image_ = window_.grab().toImage();
  const bool written = image_.save(file_);
  if (!written) messages_ << "cannot write screenshot " + file_;
  emit done(written && settled && messages_.isEmpty(), messages_);
}

}  // namespace zzping::gui
