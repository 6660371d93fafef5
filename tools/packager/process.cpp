#include "process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "error.h"

extern char** environ;

namespace aero::packager {

int RunProcess(const std::vector<std::string>& argv,
               const std::vector<std::string>& extra_environment,
               const std::filesystem::path& log_file) {
  if (argv.empty()) {
    throw catalog::Error("no program to run");
  }
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const std::string name = text.substr(0, text.find('='));
    bool overridden = false;
    for (const std::string& extra : extra_environment) {
      overridden = overridden || extra.substr(0, extra.find('=')) == name;
    }
    if (!overridden) {
      environment.push_back(text);
    }
  }
  environment.insert(environment.end(), extra_environment.begin(), extra_environment.end());
  std::vector<char*> argv_pointers;
  argv_pointers.reserve(argv.size() + 1);
  for (const std::string& arg : argv) {
    argv_pointers.push_back(const_cast<char*>(arg.c_str()));
  }
  argv_pointers.push_back(nullptr);
  std::vector<char*> env_pointers;
  env_pointers.reserve(environment.size() + 1);
  for (const std::string& entry : environment) {
    env_pointers.push_back(const_cast<char*>(entry.c_str()));
  }
  env_pointers.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_file.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int spawn_error = posix_spawnp(&pid, argv[0].c_str(), &actions, nullptr,
                                       argv_pointers.data(), env_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) {
    throw catalog::Error("cannot run '" + argv[0] + "': " + std::strerror(spawn_error));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      throw catalog::Error("lost track of '" + argv[0] + "': " + std::strerror(errno));
    }
  }
  if (WIFSIGNALED(status)) {
    throw catalog::Error("'" + argv[0] + "' was killed by signal " +
                         std::to_string(WTERMSIG(status)));
  }
  return WEXITSTATUS(status);
}

}  // namespace aero::packager
