// anatomist-cli: everything the workbench computes, headless, with JSON output for scripts.

#include "args.h"
#include "commands.h"
#include "errors.h"
#include "model/model_loader.h"
#include "process_environment.h"

#include <c10/util/Exception.h>
#include <cstring>
#include <iostream>

namespace {

void printUsage(std::ostream& out) {
    out << "usage: anatomist-cli COMMAND [ARGS]\n\ncommands:\n";
    for (const auto& command : anatomist::cli::commands())
        out << "  " << command.usage << "\n      " << command.summary << "\n";
    out << "\nModels are Hugging Face folders (config.json, *.safetensors, tokenizer) or "
           "llama.cpp\n"
           ".gguf files.\n";
}

} // namespace

int main(int argc, char** argv) {
    using namespace anatomist;
    core::configureProcess();
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
        !std::strcmp(argv[1], "help")) {
        printUsage(argc < 2 ? std::cerr : std::cout);
        return argc < 2 ? 2 : 0;
    }
    if (!std::strcmp(argv[1], "--version")) {
        std::cout << "anatomist-cli " << ANATOMIST_VERSION << "\n";
        return 0;
    }
    const std::string name = argv[1];
    const cli::Command* command = nullptr;
    for (const auto& candidate : cli::commands())
        if (name == candidate.name)
            command = &candidate;
    if (!command) {
        std::cerr << "anatomist-cli: unknown command '" << name << "' (try --help)\n";
        return 2;
    }
    const std::vector<std::string> arguments(argv + 2, argv + argc);
    for (const auto& arg : arguments)
        if (arg == "--help" || arg == "-h") {
            std::cout << "usage: anatomist-cli " << command->usage << "\n"
                      << command->summary << "\n";
            return 0;
        }
    try {
        return command->run(arguments);
    } catch (const cli::UsageError& e) {
        std::cerr << "anatomist-cli " << name << ": " << e.what() << "\nusage: anatomist-cli "
                  << command->usage << "\n";
        return 2;
    } catch (const core::Cancelled& e) {
        std::cerr << "anatomist-cli " << name << ": " << e.what() << "\n";
        return 130;
    } catch (const core::Error& e) {
        std::cerr << "anatomist-cli " << name << ": error: " << e.what() << "\n";
        return 1;
    } catch (const c10::Error& e) {
        // Torch messages carry a C++ backtrace after the first line; the first line is the message.
        std::string message = e.what_without_backtrace();
        message = message.substr(0, message.find('\n'));
        std::cerr << "anatomist-cli " << name << ": error: " << message << "\n";
        return 1;
    } catch (const std::bad_alloc&) {
        std::cerr << "anatomist-cli " << name << ": error: out of memory\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "anatomist-cli " << name << ": error: " << e.what() << "\n";
        return 1;
    }
}
