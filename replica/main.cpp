#include <httplib.h>
#include <cstdio>
int main() {
  httplib::Server s;
  s.Get("/healthz", [](const httplib::Request&, httplib::Response& r) { r.set_content("ok", "text/plain"); });
  int port = s.bind_to_any_port("127.0.0.1");
  std::printf("listening on 127.0.0.1:%d\n", port);
  std::fflush(stdout);
  s.listen_after_bind();
}
