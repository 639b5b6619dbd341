// The HTTP floor for bench/http_compare.py and bench/instructions.py: a trivial cpp-httplib server
// (the same Debian library localaws uses) that does no S3 or DynamoDB work. GET of any path
// answers a static 4 KiB body; PUT reads the body and answers 200; POST answers `{}` as DynamoDB
// JSON. TCP_NODELAY and keep-alive as localaws has them.
//
//   floor_server [--port N] [--ready-file F]     (port 0 picks a free one; F gets the endpoint)
#include <httplib.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

// bench/instructions.py brackets measurements with GET /_localaws/health: callgrind dumps its
// counters on entering this function (--dump-before=floor_mark).
extern "C" __attribute__((noinline)) void floor_mark() { asm volatile(""); }

int main(int argc, char** argv) {
  int port = 0;
  std::string ready;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--port")) port = std::stoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--ready-file")) ready = argv[i + 1];
  }
  std::string body(4096, '\0');
  for (size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>((i * 131 + 7) % 251);

  httplib::Server srv;
  srv.set_tcp_nodelay(true);
  srv.set_keep_alive_max_count(1000000);
  srv.Get("/_localaws/health", [](const httplib::Request&, httplib::Response& res) {
    floor_mark();
    res.set_content("{\"status\":\"running\"}", "application/json");
  });
  srv.Get(R"(/.*)", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(body, "application/octet-stream");
  });
  srv.Put(R"(/.*)", [](const httplib::Request&, httplib::Response& res) { res.status = 200; });
  srv.Post(R"(/.*)", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{}", "application/x-amz-json-1.0");
  });
  if (port == 0) port = srv.bind_to_any_port("127.0.0.1");
  else if (!srv.bind_to_port("127.0.0.1", port)) return 1;
  if (port <= 0) return 1;
  if (!ready.empty()) {
    std::ofstream f(ready + ".tmp");
    f << "http://127.0.0.1:" << port << "\n";
    f.close();
    std::rename((ready + ".tmp").c_str(), ready.c_str());
  }
  return srv.listen_after_bind() ? 0 : 1;
}
