// SPDX-License-Identifier: GPL-3.0-or-later
// AlertRunner and AlertSink with real child processes on a real io_context: the event on
// stdin and in the environment, output to the log, the timeout kill, the bound on running
// commands, failures logged once; the sink's journal entry (on a socket of the test's own)
// and its reload. Every wait is on the runner's completion callback, never a sleep.
#include "zzping/daemon/alert_runner.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <asio.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "zzping/daemon/alert_sink.hpp"

namespace zzping::daemon {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class AlertRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("zzping-alert-runner-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    previous_ = spdlog::default_logger();
    auto logger = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_));
    logger->set_pattern("%l %v");
    logger->set_level(spdlog::level::debug);
    spdlog::set_default_logger(logger);
  }
  void TearDown() override {
    spdlog::set_default_logger(previous_);
    fs::remove_all(dir_);
  }

  // Runs the loop until `done` holds (or fails after a generous bound: a hung child).
  template <typename Done>
  void run_until(Done done, std::chrono::seconds bound = 20s) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (!done()) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "timed out; log:\n" << log_.str();
      io_.run_one_for(100ms);
    }
  }

  std::string read(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
  }

  AlertCommand shell(const std::string& script, std::chrono::seconds timeout = 10s) {
    return AlertCommand{"t", {"/bin/sh", "-c", script}, {"ZZPING_ALERT=t", "ZZPING_PHASE=start"}, "{\"x\":1}\n", timeout};
  }

  asio::io_context io_;
  fs::path dir_;
  std::ostringstream log_;
  std::shared_ptr<spdlog::logger> previous_;
};

TEST_F(AlertRunnerTest, EventOnStdinAndInTheEnvironmentOutputToTheLog) {
  AlertRunner runner(io_);
  std::vector<AlertOutcome> outcomes;
  runner.set_on_finished([&](const AlertOutcome& o) { outcomes.push_back(o); });
  const std::string script = "cat > '" + (dir_ / "in").string() + "'; env > '" + (dir_ / "env").string() +
                             "'; echo hello; echo oops >&2; printf 'no newline'";
  runner.run(shell(script));
  run_until([&] { return !outcomes.empty(); });
  ASSERT_TRUE(outcomes[0].ok) << outcomes[0].error;
  EXPECT_GT(outcomes[0].pid, 0);
  EXPECT_EQ(read(dir_ / "in"), "{\"x\":1}\n");
  const std::string env = read(dir_ / "env");
  EXPECT_NE(env.find("ZZPING_ALERT=t\n"), std::string::npos) << env;
  EXPECT_NE(env.find("ZZPING_PHASE=start\n"), std::string::npos) << env;
  EXPECT_NE(env.find("PATH="), std::string::npos) << "the daemon's environment is kept";
  EXPECT_NE(log_.str().find("info alert t: hello\n"), std::string::npos) << log_.str();
  EXPECT_NE(log_.str().find("info alert t: oops\n"), std::string::npos) << log_.str();
  EXPECT_NE(log_.str().find("info alert t: no newline\n"), std::string::npos) << log_.str();
  EXPECT_EQ(runner.running(), 0u);
  EXPECT_EQ(runner.counters().succeeded, 1u);
}

TEST_F(AlertRunnerTest, TimeoutKillsTheCommandAndItsChildren) {
  AlertRunner runner(io_);
  std::vector<AlertOutcome> outcomes;
  runner.set_on_finished([&](const AlertOutcome& o) { outcomes.push_back(o); });
  const fs::path pid_file = dir_ / "pid";
  const auto begin = std::chrono::steady_clock::now();
  runner.run(shell("sleep 30 & echo $! > '" + pid_file.string() + "'; wait", 1s));
  run_until([&] { return !outcomes.empty(); });
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  EXPECT_TRUE(outcomes[0].timed_out);
  EXPECT_FALSE(outcomes[0].ok);
  EXPECT_EQ(outcomes[0].error, "killed at the timeout");
  EXPECT_GE(took, 0.9);
  EXPECT_LT(took, 5.0);
  EXPECT_EQ(runner.counters().timed_out, 1u);
  // The grandchild (sleep 30) was in the killed process group: its pidfd (any process's
  // pidfd is readable once it exited) becomes readable, or it is already gone.
  const std::string pid = read(pid_file);
  ASSERT_FALSE(pid.empty());
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, std::stoi(pid), 0));
  if (pidfd >= 0) {
    pollfd exited{pidfd, POLLIN, 0};
    EXPECT_EQ(::poll(&exited, 1, 5000), 1) << "sleep 30 (pid " << pid << ") survived the timeout";
    ::close(pidfd);
  } else {
    EXPECT_EQ(errno, ESRCH);
  }
  EXPECT_NE(log_.str().find("warning alert t: command failed: killed at the timeout"), std::string::npos) << log_.str();
}

TEST_F(AlertRunnerTest, AtMostMaxRunningTheNextQueuedTheRestDropped) {
  AlertRunner runner(io_, 2, 2);
  std::vector<AlertOutcome> outcomes;
  std::size_t most_running = 0;
  runner.set_on_finished([&](const AlertOutcome& o) {
    outcomes.push_back(o);
    most_running = std::max(most_running, runner.running());
  });
  const fs::path go = dir_ / "go";
  const fs::path order = dir_ / "order";
  for (int i = 0; i < 5; ++i) {
    AlertCommand command = shell("echo start " + std::to_string(i) + " >> '" + order.string() + "'; while [ ! -e '" +
                                 go.string() + "' ]; do sleep 0.01; done; echo end " + std::to_string(i) + " >> '" +
                                 order.string() + "'");
    command.alert = "t" + std::to_string(i);  // five alerts: one command of each
    runner.run(command);
    most_running = std::max(most_running, runner.running());
  }
  EXPECT_EQ(runner.running(), 2u);
  EXPECT_EQ(runner.queued(), 2u);
  EXPECT_EQ(runner.counters().dropped, 1u);
  EXPECT_NE(log_.str().find("warning alert t4: 2 commands running and 2 waiting: this one is dropped"), std::string::npos);
  std::ofstream(go).put('\n');
  run_until([&] { return outcomes.size() == 4; });
  EXPECT_LE(most_running, 2u);
  for (const auto& o : outcomes) EXPECT_TRUE(o.ok) << o.error;
  // The children's own record: never more than 2 started and not yet ended.
  std::istringstream lines(read(order));
  int open = 0;
  int most_open = 0;
  int starts = 0;
  for (std::string word, index; lines >> word >> index;) {
    open += word == "start" ? 1 : -1;
    starts += word == "start" ? 1 : 0;
    most_open = std::max(most_open, open);
  }
  EXPECT_EQ(starts, 4);
  EXPECT_EQ(open, 0);
  EXPECT_LE(most_open, 2);
  EXPECT_EQ(runner.counters().started, 4u);
}

TEST_F(AlertRunnerTest, OneAlertsCommandsRunOneAtATimeInOrder) {
  AlertRunner runner(io_, 4);
  std::vector<std::string> finished;
  runner.set_on_finished([&](const AlertOutcome& o) { finished.push_back(o.alert); });
  const fs::path go = dir_ / "go";
  const fs::path order = dir_ / "order";
  const auto command = [&](const std::string& alert, const std::string& phase, bool wait) {
    AlertCommand c = shell("echo " + alert + "." + phase + ".run >> '" + order.string() + "'" +
                           (wait ? "; while [ ! -e '" + go.string() + "' ]; do sleep 0.01; done" : std::string()));
    c.alert = alert;
    return c;
  };
  runner.run(command("a", "start", true));
  runner.run(command("a", "end", false));  // waits for a's start although slots are free
  runner.run(command("b", "start", false));
  EXPECT_EQ(runner.running(), 2u);
  EXPECT_EQ(runner.queued(), 1u);
  run_until([&] { return finished.size() == 1; });
  EXPECT_EQ(finished[0], "b");
  EXPECT_EQ(runner.queued(), 1u) << "a's end still waits for a's start";
  std::ofstream(go).put('\n');
  run_until([&] { return finished.size() == 3; });
  const std::string text = read(order);
  EXPECT_LT(text.find("a.start.run"), text.find("a.end.run")) << text;
}

TEST_F(AlertRunnerTest, EachDistinctFailureIsLoggedOnce) {
  AlertRunner runner(io_);
  std::size_t finished = 0;
  runner.set_on_finished([&](const AlertOutcome&) { ++finished; });
  for (int i = 0; i < 3; ++i) runner.run(AlertCommand{"t", {"/nonexistent/notify"}, {}, "{}\n", 10s});
  for (int i = 0; i < 3; ++i) runner.run(shell("exit 3"));
  runner.run(shell("exit 4"));
  run_until([&] { return finished == 7; });
  const std::string text = log_.str();
  EXPECT_EQ(count(text, "command failed: cannot run /nonexistent/notify: No such file or directory"), 1u) << text;
  EXPECT_EQ(count(text, "command failed: exited with status 3"), 1u) << text;
  EXPECT_EQ(count(text, "command failed: exited with status 4"), 1u) << text;
  EXPECT_EQ(runner.counters().failed, 7u);
  EXPECT_EQ(runner.counters().started, 4u);
}

// A datagram socket standing in for journald's.
class FakeJournal {
 public:
  explicit FakeJournal(const fs::path& path) : path_(path.string()), fd_(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path_.c_str(), path_.size() + 1);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) ADD_FAILURE() << "bind " << path_;
  }
  ~FakeJournal() { ::close(fd_); }
  std::string receive() {
    char buffer[65536];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
    return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_;
};

Frame lossy_frame(std::int64_t t_ms, bool lost) {
  Frame frame;
  frame.t_ms = t_ms;
  frame.length_ms = 100;
  frame.sent = 10;
  frame.lost = lost ? 10 : 0;
  frame.recv = 10 - frame.lost;
  return frame;
}

TEST_F(AlertRunnerTest, SinkWritesTheJournalEntryRunsTheCommandAndReloads) {
  FakeJournal journal(dir_ / "journal.socket");
  DaemonConfig config;
  AlertConfig alert;
  alert.name = "lossy";
  alert.when = AlertWhen::loss_pct;
  alert.threshold = 2.0;
  alert.window_s = 1;
  alert.exec = {"/bin/sh", "-c", "cat > '" + (dir_ / "").string() + "'\"$ZZPING_PHASE\".json"};
  config.alerts = {alert};
  AlertSinkOptions options;
  options.journal_socket = journal.path();
  AlertSink sink(io_, config, options);
  std::vector<AlertOutcome> outcomes;
  sink.runner().set_on_finished([&](const AlertOutcome& o) { outcomes.push_back(o); });
  const HostInfo host{"10.0.0.1", "10.0.0.1", 10, 100, 0.01};
  for (std::int64_t t = 0; t < 3'000; t += 100) sink.on_frame(host, lossy_frame(t, t >= 2'000));
  run_until([&] { return outcomes.size() == 1; });
  ASSERT_TRUE(outcomes[0].ok) << outcomes[0].error;
  EXPECT_EQ(read(dir_ / "start.json"),
            R"({"alert":"lossy","when":"loss_pct","phase":"start","t_ms":2100,"start_ms":2100,"duration_ms":null,)"
            R"("host":"10.0.0.1","targets":["10.0.0.1"],"value":10,"threshold":2,"window_s":1,"cause":null,)"
            R"("probes_lost":null,"reason":"condition"})"
            "\n");
  const std::string entry = journal.receive();
  EXPECT_NE(entry.find("MESSAGE=alert lossy start: loss_pct 10% > 2% over 1 s, target 10.0.0.1\n"),
            std::string::npos) << entry;
  EXPECT_NE(entry.find("\nMESSAGE_ID=c2c5e46e782d4c1b9612ada5126a3c76\n"), std::string::npos) << entry;
  EXPECT_NE(entry.find("\nPRIORITY=4\n"), std::string::npos) << entry;
  EXPECT_NE(entry.find("\nSYSLOG_IDENTIFIER=zzpingd\n"), std::string::npos) << entry;
  EXPECT_NE(entry.find("\nZZPING_T_MS=2100\n"), std::string::npos) << entry;
  EXPECT_NE(entry.find("\nZZPING_HOST=10.0.0.1\n"), std::string::npos) << entry;

  // A reload that changes the alert ends it with the command it was defined with.
  DaemonConfig reloaded = config;
  reloaded.alerts[0].threshold = 50.0;
  reloaded.alerts[0].exec = {"/bin/false"};
  sink.on_config_reloaded(reloaded);
  run_until([&] { return outcomes.size() == 2; });
  EXPECT_TRUE(outcomes[1].ok) << outcomes[1].error;
  const std::string end = read(dir_ / "end.json");
  EXPECT_NE(end.find(R"("phase":"end","t_ms":3000,"start_ms":2100,"duration_ms":900,)"), std::string::npos) << end;
  EXPECT_NE(end.find(R"("reason":"alert_removed"})"), std::string::npos) << end;
  EXPECT_NE(journal.receive().find("\nPRIORITY=5\n"), std::string::npos);
}

TEST(AlertJournal, NoJournalSocketIsReportedSoTheLineIsLogged) {
  AlertJournal journal("/nonexistent/journal.socket");
  EXPECT_FALSE(journal.send(AlertEvent{}));
}

TEST(AlertJournal, ValuesWithANewlineUseTheBinaryForm) {
  AlertEvent event;
  event.alert = "a";
  event.host = "x\ny";
  event.targets = {event.host};
  const std::string entry = AlertJournal::entry(event);
  EXPECT_NE(entry.find(std::string("\nZZPING_HOST\n\x03\0\0\0\0\0\0\0x\ny\n", 20)), std::string::npos);
}

}  // namespace
}  // namespace zzping::daemon
