#include "zzping/tools/cli.hpp"

#include <iostream>

namespace zzping::tools {

int run_tool(std::string_view tool, const std::function<int()>& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << tool << ": " << e.what() << '\n';
    return kExitFailure;
  }
}

void print_warning(std::string_view tool, std::string_view message) {
  std::cout.flush();
  std::cerr << tool << ": warning: " << message << '\n';
}

}  // namespace zzping::tools
