// SPDX-License-Identifier: GPL-3.0-or-later
#include "daemon_link.hpp"

#include <QSignalBlocker>
#include <QTcpSocket>
#include <algorithm>
#include <variant>

#include "zzping/formats/stream/client_session.hpp"

namespace zzping::gui {

namespace {
// ClientSession::tick wants at least one call per second (heartbeats, dead server).
constexpr int kTickMs = 250;
}  // namespace

DaemonLink::DaemonLink(Options options, QObject* parent)
    : QObject(parent),
      options_(std::move(options)),
      socket_(new QTcpSocket(this)),
      backoff_(options_.initial_backoff_ms, options_.max_backoff_ms) {
  clock_.start();
  connect(socket_, &QTcpSocket::connected, this, &DaemonLink::onConnected);
  connect(socket_, &QTcpSocket::readyRead, this, &DaemonLink::onReadyRead);
  connect(socket_, &QTcpSocket::disconnected, this, &DaemonLink::onSocketGone);
  connect(socket_, &QTcpSocket::errorOccurred, this, &DaemonLink::onSocketGone);
  tick_timer_.setInterval(kTickMs);
  connect(&tick_timer_, &QTimer::timeout, this, &DaemonLink::onTick);
  retry_timer_.setSingleShot(true);
  connect(&retry_timer_, &QTimer::timeout, this, &DaemonLink::connectNow);
}

DaemonLink::~DaemonLink() {
  // A polite close, so the daemon logs a goodbye rather than a dropped connection.
  if (session_ && socket_->state() == QAbstractSocket::ConnectedState) {
    session_->close("zzping-gui closed", now_ms());
    const auto bytes = session_->take_outgoing();
    socket_->write(reinterpret_cast<const char*>(bytes.data()), static_cast<qint64>(bytes.size()));
    socket_->flush();
  }
  session_.reset();
  socket_->disconnect(this);
  socket_->abort();
}

void DaemonLink::start() { connectNow(); }

QString DaemonLink::address() const {
  const QString host = options_.host.contains(':') ? "[" + options_.host + "]" : options_.host;
  return host + ":" + QString::number(options_.port);
}

void DaemonLink::connectNow() {
  session_.reset();
  {
    const QSignalBlocker quiet(socket_);  // no "gone" callback for the connection we drop
    socket_->abort();
  }
  if (state_ != view::LinkState::Reconnecting) setState(view::LinkState::Connecting);
  socket_->connectToHost(options_.host, options_.port);
  tick_timer_.start();
}

void DaemonLink::onConnected() {
  stream::ClientConfig config;
  config.software = std::string("zzping-gui ") + ZZPING_VERSION;
  config.token = options_.token;
  session_ = std::make_unique<stream::ClientSession>(config, now_ms());
  // After a reconnect, resume at the end of what we have, so no frame is missed while the
  // daemon still holds it (and repeated ones are dropped by the cursor).
  stream::Subscribe subscription;
  if (const auto since = cursor_.resume_since_ms()) {
    subscription.since_ms = since;
  } else {
    subscription.backfill_ms = options_.backfill_ms;
  }
  session_->subscribe(subscription, now_ms());
  pump();
}

void DaemonLink::onReadyRead() {
  const QByteArray bytes = socket_->readAll();
  if (!session_) return;
  session_->feed(std::span(reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                           static_cast<std::size_t>(bytes.size())),
                 now_ms());
  pump();
}

void DaemonLink::onSocketGone() {
  if (session_) {
    if (socket_->bytesAvailable() > 0) onReadyRead();  // a Close may still be unread
    if (!session_) return;
    session_->connection_lost(socket_->errorString().toStdString(), now_ms());
    pump();
  } else if (state_ == view::LinkState::Connecting || state_ == view::LinkState::Reconnecting) {
    // The TCP connect itself failed; retry_timer_ being idle means no retry is queued yet.
    if (!retry_timer_.isActive()) endSession("cannot connect: " + socket_->errorString().toStdString());
  }
}

void DaemonLink::onTick() {
  if (!session_) return;
  session_->tick(now_ms());
  pump();
}

// Sends what the session queued and hands out what it decoded.
void DaemonLink::pump() {
  while (session_) {
    const auto out = session_->take_outgoing();
    if (!out.empty()) {
      socket_->write(reinterpret_cast<const char*>(out.data()), static_cast<qint64>(out.size()));
    }
    auto event = session_->poll();
    if (!event) return;
    if (auto* frames = std::get_if<stream::ReceivedFrames>(&*event)) {
      std::vector<Frame> fresh;
      fresh.reserve(frames->frames.size());
      for (const Frame& f : frames->frames) {
        if (cursor_.take(frames->host, f)) fresh.push_back(f);
      }
      if (!fresh.empty()) emit framesReceived(frames->host, fresh);
    } else if (const auto* list = std::get_if<stream::HostList>(&*event)) {
      std::vector<std::pair<std::string, attribution::Role>> hosts;
      for (const auto& h : list->hosts) hosts.emplace_back(h.name, h.role);
      handleHostList(hosts);
    } else if (const auto* loss = std::get_if<stream::EventMessage>(&*event)) {
      emit lossEventReceived(loss->host, loss->event);
    } else if (const auto* incident = std::get_if<stream::IncidentMessage>(&*event)) {
      emit incidentReceived(stream::to_incident(*incident));
    } else if (const auto* path = std::get_if<stream::PathMessage>(&*event)) {
      emit pathReceived(path->host, path->path);
    } else if (const auto* caught = std::get_if<stream::CaughtUp>(&*event)) {
      if (caught_up_.insert(caught->host).second) emit caughtUpChanged();
    } else if (const auto* gone = std::get_if<stream::Disconnected>(&*event)) {
      endSession(gone->reason);
    }
  }
}

void DaemonLink::handleHostList(const std::vector<std::pair<std::string, attribution::Role>>& hosts) {
  backoff_.reset();  // this session got through the handshake
  last_reason_.clear();
  for (const auto& [name, role] : hosts) {
    if (std::find(hosts_.begin(), hosts_.end(), name) == hosts_.end()) {
      hosts_.push_back(name);
      emit hostListed(name, role);
    }
  }
  setState(view::LinkState::Connected);
}

void DaemonLink::endSession(const std::string& reason) {
  if (session_) {  // send the Close the session may have queued
    const auto out = session_->take_outgoing();
    socket_->write(reinterpret_cast<const char*>(out.data()), static_cast<qint64>(out.size()));
    socket_->flush();
  }
  session_.reset();
  tick_timer_.stop();
  last_reason_ = QString::fromStdString(reason);
  const view::LinkState next = view::state_after_disconnect(reason);
  state_ = next;
  if (view::retries(next)) retry_timer_.start(backoff_.next_delay_ms());
  {
    const QSignalBlocker quiet(socket_);
    socket_->abort();
  }
  emit stateChanged();
}

bool DaemonLink::caughtUp() const {
  if (state_ != view::LinkState::Connected) return false;
  return std::all_of(hosts_.begin(), hosts_.end(),
                     [this](const std::string& h) { return caught_up_.contains(h); });
}

void DaemonLink::setState(view::LinkState state) {
  if (state == state_) return;
  state_ = state;
  emit stateChanged();
}

}  // namespace zzping::gui
