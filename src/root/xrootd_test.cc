// root:// through a real XRootD server (Debian's xrootd-server) on 127.0.0.1: the same values
// as the local file, a missing file is NotFound, and a server that never answers fails with
// DeadlineExceeded after the read timeout instead of hanging.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "base/temp_dir.h"
#include "root/file.h"
#include "root/scan.h"
#include "root/test_data.h"

namespace gantry::root {
namespace {

int ListenOnFreePort(int* port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 16) != 0) {
    ::close(fd);
    return -1;
  }
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  *port = ntohs(a.sin_port);
  return fd;
}

bool CanConnect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

// An xrootd exporting `dir` on a free port, stopped by PID at the end. xrootd refuses to run
// as root, so it runs as nobody (-R) when the test is root.
class XRootDServer {
 public:
  explicit XRootDServer(const std::string& dir) : dir_(dir) {
    int probe = ListenOnFreePort(&port_);
    ::close(probe);
    std::ofstream(dir_ + "/xrootd.cfg") << "all.export " << dir_ << "/data\nxrd.network nodnr\n";
    std::string port = std::to_string(port_), cfg = dir_ + "/xrootd.cfg",
                log = dir_ + "/logs/xrootd.log";
    pid_ = ::fork();
    if (pid_ == 0) {
      ::chdir(dir_.c_str());
      if (::geteuid() == 0) {
        ::execlp("xrootd", "xrootd", "-R", "nobody", "-p", port.c_str(), "-c", cfg.c_str(), "-l",
                 log.c_str(), "-n", "gantry-test", static_cast<char*>(nullptr));
      } else {
        ::execlp("xrootd", "xrootd", "-p", port.c_str(), "-c", cfg.c_str(), "-l", log.c_str(),
                 "-n", "gantry-test", static_cast<char*>(nullptr));
      }
      ::_exit(127);
    }
    for (int i = 0; i < 200 && !CanConnect(port_); ++i) {
      int status;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~XRootDServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  bool running() const { return pid_ > 0 && CanConnect(port_); }
  std::string Url(const std::string& name) const {
    return "root://127.0.0.1:" + std::to_string(port_) + "/" + dir_ + "/data/" + name;
  }

 private:
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// A directory the server's user can read.
void OpenUp(const std::string& dir) {
  std::filesystem::create_directories(dir + "/data");
  std::filesystem::create_directories(dir + "/logs");
  ::chmod(dir.c_str(), 0777);
  ::chmod((dir + "/data").c_str(), 0755);
  ::chmod((dir + "/logs").c_str(), 0777);
}

TEST(XRootDTest, ReadsTheSameValuesAsTheLocalFile) {
  TempDir dir;
  OpenUp(dir.path());
  for (const char* name : {"uproot-HZZ-lz4.root", "agc_open-data-example.root"}) {
    std::filesystem::copy_file(SharedRootData() + "/" + name,
                               dir.path() + "/data/" + name);
    ::chmod((dir.path() + "/data/" + name).c_str(), 0644);
  }
  XRootDServer server(dir.path());
  ASSERT_TRUE(server.running()) << "xrootd did not start; see " << dir.path() << "/logs";
  struct Case {
    const char* file;
    const char* tree;
  };
  for (Case c : {Case{"uproot-HZZ-lz4.root", "events"}, Case{"agc_open-data-example.root", "Events"}}) {
    auto remote = File::Open(server.Url(c.file));
    ASSERT_TRUE(remote) << remote.error().message();
    auto local = File::Open(SharedRootData() + "/" + c.file);
    ASSERT_TRUE(local);
    auto a = ScanTree(**remote, c.tree, {});
    auto b = ScanTree(**local, c.tree, {});
    ASSERT_TRUE(a) << a.error().message();
    ASSERT_TRUE(b);
    EXPECT_EQ(ScanJson(*a), ScanJson(*b)) << c.file;
    EXPECT_GT((*remote)->source().bytes_read(), 0u);
  }
  auto missing = File::Open(server.Url("nope.root"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound) << missing.error().message();
}

TEST(XRootDTest, ASilentServerFailsAfterTheReadTimeout) {
  int port = 0;
  int listener = ListenOnFreePort(&port);
  ASSERT_GE(listener, 0);
  SourceOptions options;
  options.timeout = std::chrono::milliseconds(2000);
  auto f = File::Open("root://127.0.0.1:" + std::to_string(port) + "//data/x.root", options);
  ::close(listener);
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().code(), ErrorCode::kDeadlineExceeded) << f.error().message();
}

}  // namespace
}  // namespace gantry::root
