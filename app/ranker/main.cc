// ranker: the coffee-shop ranker. Subcommands: init, serve, seed.
// AWS settings come from the standard AWS environment and files; RANKER_* and flags name things.
#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>
#include <pthread.h>
#include <sys/socket.h>
#include <thread>

#include "aws/dynamodb.h"
#include "aws/s3.h"
#include "ranker/api.h"
#include "ranker/seed.h"
#include "ranker/store.h"
#include "ranker/suggest.h"

namespace {

std::string describe(const aws::ServiceConfig& c) {
  return c.service + " -> " + (c.endpoint_url.empty() ? aws::default_endpoint(c.service, c.region) + " (AWS)"
                                                      : c.endpoint_url + " (from " + c.endpoint_source + ")") +
         ", region " + c.region + (c.credentials.empty() ? ", no credentials (unsigned requests)" : "");
}

int serve(const ranker::Store& store) {
  const auto& s = store.settings();
  httplib::Server server;
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(100);
  // SO_REUSEADDR only: cpp-httplib's default adds SO_REUSEPORT, with which a second server binds
  // the same port and the kernel splits connections between the two.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  // Room for a multipart envelope around the largest allowed photo; the handler checks the image.
  server.set_payload_max_length(s.max_photo_bytes + 64 * 1024);
  ranker::install_routes(server, store);
  int port = s.port == 0 ? server.bind_to_any_port(s.host) : (server.bind_to_port(s.host, s.port) ? s.port : -1);
  if (port < 0) {
    std::cerr << "ranker: cannot listen on " << s.host << ":" << s.port << " (is the port in use?)\n";
    return 1;
  }
  // SIGINT/SIGTERM stop the server cleanly: the signals are blocked here (and so in every worker
  // thread started later) and taken by one thread with sigwait, where calling stop() is safe.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    server.stop();
  });
  std::cout << "ranker listening on http://" << s.host << ":" << port << std::endl;
  bool ok = server.listen_after_bind();
  if (stopper.joinable()) {
    // listen ended without a signal (an error): wake the stopper so it can be joined.
    pthread_kill(stopper.native_handle(), SIGTERM);
    stopper.join();
  }
  std::cerr << "ranker: stopped\n";
  return ok ? 0 : 1;
}

// CLI11 reports a mistyped flag as "The following arguments were not expected: 0 --prot" and a
// mistyped subcommand as "A subcommand is required": name the word and what it is probably a
// typo of. Returns the exit status, or -1 when there is nothing to name (CLI11 reports it).
int refuse_unknown_words(const CLI::App& app, const CLI::Error& e) {
  bool extras = dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr;
  bool no_subcommand = dynamic_cast<const CLI::RequiredError*>(&e) != nullptr && app.get_subcommands().empty();
  if (!extras && !no_subcommand) return -1;
  std::vector<std::string> flags, commands;
  std::vector<std::pair<std::string, std::string>> flag_owner;  // flag, subcommand it belongs to
  auto add_flags = [&](const CLI::App& a, const std::string& owner) {
    for (const CLI::Option* o : a.get_options()) {
      for (const auto& name : o->get_lnames()) {
        flags.push_back("--" + name);
        flag_owner.emplace_back("--" + name, owner);
      }
    }
  };
  add_flags(app, "");
  for (const CLI::App* sub : app.get_subcommands({})) {
    commands.push_back(sub->get_name());
    add_flags(*sub, sub->get_name());
  }
  bool named = false;
  for (const std::string& arg : app.remaining(true)) {
    if (arg.size() >= 2 && arg[0] == '-') {
      std::string flag = arg.substr(0, arg.find('='));
      std::string near = ranker::nearest_name(flag, flags), owner;
      for (auto& [f, o] : flag_owner) if (f == near && !o.empty()) owner = o;
      if (near == flag && !owner.empty()) {
        std::cerr << "ranker: " << flag << " is an option of " << owner << ": ranker " << owner << " " << flag << " ...\n";
      } else {
        std::cerr << "ranker: unknown option " << flag;
        if (!near.empty()) std::cerr << "; did you mean " << near << (owner.empty() ? "" : " (of " + owner + ")") << "?";
        std::cerr << "\n";
      }
      named = true;
    } else if (no_subcommand && !named) {
      std::string near = ranker::nearest_name(arg, commands);
      std::cerr << "ranker: unknown command " << arg;
      if (!near.empty()) std::cerr << "; did you mean " << near << "?";
      std::cerr << "\n";
      named = true;
    }
  }
  if (!named) return -1;
  std::cerr << "Run with --help for more information.\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Coffee Shop Ranker: rank coffee shops, with photos in S3 and data in DynamoDB"};
  app.require_subcommand(1);
  std::string bucket, shops_table, ratings_table, seed_dir;
  int port = -1;
  app.add_option("--bucket", bucket, "S3 bucket for photos (env RANKER_BUCKET; default coffeeshopranker-<hash of access key>)");
  app.add_option("--shops-table", shops_table, "DynamoDB table of shops (env RANKER_SHOPS_TABLE; default ranker-shops)");
  app.add_option("--ratings-table", ratings_table, "DynamoDB table of votes (env RANKER_RATINGS_TABLE; default ranker-ratings)");
  auto* init_cmd = app.add_subcommand("init", "Create the bucket (public-read photos) and the tables; safe to repeat");
  auto* serve_cmd = app.add_subcommand("serve", "Serve the web page and the HTTP API");
  serve_cmd->add_option("--port", port, "Port (env RANKER_PORT; default 8080; 0 picks a free one)");
  auto* seed_cmd = app.add_subcommand("seed", "Load demo shops, ratings and photos from a fixtures directory");
  seed_cmd->add_option("dir", seed_dir, "Directory with shops.json, ratings.json, photos/")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int status = refuse_unknown_words(app, e);  // --help and friends pass through: not these errors
    if (status >= 0) return status;
    return app.exit(e);
  }

  try {
    aws::EnvLookup env = aws::process_env();
    aws::RetryPolicy retry = aws::RetryPolicy::from_env(env);
    aws::S3Client s3{aws::SignedClient(aws::resolve_config("s3", env), retry)};
    aws::DynamoDbClient ddb{aws::SignedClient(aws::resolve_config("dynamodb", env), retry)};
    ranker::Settings settings = ranker::settings_from_env(env, s3.config().credentials);
    if (!bucket.empty()) settings.bucket = bucket;
    if (!shops_table.empty()) settings.shops_table = shops_table;
    if (!ratings_table.empty()) settings.ratings_table = ratings_table;
    if (port >= 0) settings.port = port;
    std::cerr << describe(s3.config()) << "\n" << describe(ddb.config()) << "\n";
    ranker::Store store(s3, ddb, settings);

    if (*init_cmd) store.init(std::cout);
    if (*seed_cmd) ranker::seed(store, seed_dir, std::cout);
    if (*serve_cmd) return serve(store);
    return 0;
  } catch (const aws::ConfigError& e) {
    std::cerr << "ranker: configuration: " << e.what() << "\n";
  } catch (const aws::AwsError& e) {
    std::cerr << "ranker: AWS error " << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "ranker: " << e.what() << "\n";
  }
  return 1;
}
