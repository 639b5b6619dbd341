#include "ranker/api.h"

#include <cmath>

#include "ranker/image.h"
#include "ranker/web.h"

namespace ranker {

using aws::Json;

namespace {

// A client mistake, answered with its status and message.
struct BadRequest : std::runtime_error {
  BadRequest(int status, const std::string& message) : std::runtime_error(message), status(status) {}
  int status;
};

void send_json(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

double round4(double d) { return std::round(d * 10000.0) / 10000.0; }

Json shop_json(const Shop& s) {
  Json j = {{"id", s.id},       {"name", s.name},   {"address", s.address},       {"rating", round4(s.rating)},
            {"votes", s.votes}, {"score", round4(s.score)}, {"created_at", s.created_at}};
  if (s.lat && s.lon) {
    j["lat"] = *s.lat;
    j["lon"] = *s.lon;
  }
  return j;
}

// url: the object's public address in S3 (the page links each photo to it); bucket and key say
// where it is stored.
Json photo_json(const Photo& p, const std::string& bucket) {
  return {{"bucket", bucket}, {"key", p.key}, {"url", p.url}, {"size", p.size}, {"last_modified", p.last_modified}};
}

bool valid_token(const std::string& s, const std::string& extra) {
  if (s.empty() || s.size() > 64) return false;
  for (unsigned char c : s)
    if (!std::isalnum(c) && extra.find(static_cast<char>(c)) == std::string::npos) return false;
  return true;
}

std::string shop_id(const httplib::Request& req) {
  std::string id = req.matches[1];
  if (!valid_token(id, "-_")) throw BadRequest(404, "no shop with id " + id);
  return id;
}

Json parse_body(const httplib::Request& req) {
  Json j = Json::parse(req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw BadRequest(400, "the body must be a JSON object");
  return j;
}

std::string required_text(const Json& j, const char* field, size_t max) {
  if (!j.contains(field) || !j[field].is_string()) throw BadRequest(400, std::string(field) + " is required (a string)");
  std::string v = j[field];
  size_t b = v.find_first_not_of(" \t\r\n"), e = v.find_last_not_of(" \t\r\n");
  v = b == std::string::npos ? "" : v.substr(b, e - b + 1);
  if (v.empty()) throw BadRequest(400, std::string(field) + " must not be empty");
  if (v.size() > max) throw BadRequest(400, std::string(field) + " is longer than " + std::to_string(max) + " bytes");
  return v;
}

std::optional<double> coordinate(const Json& j, const char* field, double limit) {
  if (!j.contains(field) || j[field].is_null()) return std::nullopt;
  if (!j[field].is_number()) throw BadRequest(400, std::string(field) + " must be a number");
  double v = j[field];
  if (!std::isfinite(v) || v < -limit || v > limit)
    throw BadRequest(400, std::string(field) + " must be between -" + std::to_string(int(limit)) + " and " +
                              std::to_string(int(limit)));
  return v;
}

void create_shop(const Store& store, const httplib::Request& req, httplib::Response& res) {
  Json j = parse_body(req);
  NewShop s{required_text(j, "name", 100), required_text(j, "address", 200), coordinate(j, "lat", 90),
            coordinate(j, "lon", 180)};
  if (s.lat.has_value() != s.lon.has_value()) throw BadRequest(400, "give both lat and lon, or neither");
  // Checking ends here; the one write follows.
  send_json(res, 201, shop_json(*store.create_shop(s)));
}

void rate_shop(const Store& store, const httplib::Request& req, httplib::Response& res) {
  std::string id = shop_id(req);
  std::string user = req.matches[2];
  if (!valid_token(user, "-_.@"))
    throw BadRequest(400, "user must be 1-64 letters, digits or -_.@");
  Json j = parse_body(req);
  if (!j.contains("stars") || !j["stars"].is_number_integer() || j["stars"].get<int64_t>() < 1 ||
      j["stars"].get<int64_t>() > 5)
    throw BadRequest(400, "stars must be a whole number from 1 to 5");
  send_json(res, 200, shop_json(store.rate(id, user, j["stars"].get<int>())));
}

// Checks image bytes and stores them as a photo of the shop: 201 {key, url}.
void store_photo(const Store& store, const std::string& id, const std::string& bytes, httplib::Response& res) {
  size_t max = store.settings().max_photo_bytes;
  if (bytes.size() > max) throw BadRequest(413, "the image is larger than " + std::to_string(max) + " bytes");
  auto type = sniff_image(bytes);
  if (!type) throw BadRequest(415, "the file is not a JPEG, PNG or WebP image");
  Photo p = store.add_photo(id, bytes, type->mime, type->extension);
  send_json(res, 201, {{"bucket", store.settings().bucket}, {"key", p.key}, {"url", p.url},
                       {"content_type", type->mime}, {"size", p.size}});
}

void upload_photo(const Store& store, const httplib::Request& req, httplib::Response& res) {
  std::string id = shop_id(req);
  std::string bytes;
  if (req.is_multipart_form_data()) {
    if (!req.has_file("photo")) throw BadRequest(400, "the multipart form needs a file field named photo");
    bytes = req.get_file_value("photo").content;
  } else {
    bytes = req.body;
  }
  if (bytes.empty()) throw BadRequest(400, "no image: send the image as the body, or a multipart field named photo");
  store_photo(store, id, bytes, res);
}

void start_upload(const Store& store, const httplib::Request& req, httplib::Response& res) {
  Upload u = store.start_upload(shop_id(req));
  send_json(res, 201, {{"upload_id", u.id}, {"url", u.url}, {"method", "PUT"}, {"expires_in", u.expires_in}});
}

// The bytes a client PUT to its presigned URL are checked like a direct upload.
void finish_upload(const Store& store, const httplib::Request& req, httplib::Response& res) {
  std::string id = shop_id(req);
  std::string upload = req.matches[2];
  if (upload.size() != 24 || upload.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw BadRequest(404, "no upload with id " + upload);
  std::string bytes = store.take_upload(id, upload);
  if (bytes.empty()) throw BadRequest(400, "the upload is empty");
  store_photo(store, id, bytes, res);
}

// Runs a handler, turning every failure into a JSON answer.
template <typename F>
httplib::Server::Handler guarded(const Store& store, F f) {
  return [&store, f](const httplib::Request& req, httplib::Response& res) {
    try {
      f(store, req, res);
    } catch (const BadRequest& e) {
      send_json(res, e.status, {{"error", e.what()}});
    } catch (const NotFound& e) {
      send_json(res, 404, {{"error", e.what()}});
    } catch (const Conflict& e) {
      send_json(res, 409, {{"error", e.what()}});
    } catch (const aws::AwsError& e) {
      send_json(res, 502, {{"error", "storage call failed: " + std::string(e.what())}, {"aws_code", e.code}});
    } catch (const std::exception& e) {
      send_json(res, 500, {{"error", std::string("internal error: ") + e.what()}});
    }
  };
}

}  // namespace

void install_routes(httplib::Server& server, const Store& store) {
  const std::string id = "/api/shops/([^/]+)";
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) { send_json(res, 200, {{"status", "ok"}}); });
  server.Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_content(index_html(), "text/html; charset=utf-8"); });
  server.Post("/api/shops", guarded(store, create_shop));
  server.Get("/api/shops", guarded(store, [](const Store& s, const httplib::Request&, httplib::Response& res) {
    Json out = Json::array();
    for (const auto& shop : s.ranked_shops()) out.push_back(shop_json(shop));
    send_json(res, 200, out);
  }));
  server.Get(id, guarded(store, [](const Store& s, const httplib::Request& req, httplib::Response& res) {
    auto shop = s.get_shop(shop_id(req));
    if (!shop) throw NotFound("no shop with id " + std::string(req.matches[1]));
    send_json(res, 200, shop_json(*shop));
  }));
  server.Put(id + "/ratings/([^/]+)", guarded(store, rate_shop));
  server.Post(id + "/photos", guarded(store, upload_photo));
  server.Post(id + "/photo-uploads", guarded(store, start_upload));
  server.Post(id + "/photo-uploads/([^/]+)", guarded(store, finish_upload));
  server.Get(id + "/photos", guarded(store, [](const Store& s, const httplib::Request& req, httplib::Response& res) {
    std::string shop = shop_id(req);
    if (!s.get_shop(shop)) throw NotFound("no shop with id " + shop);
    Json out = Json::array();
    for (const auto& p : s.photos(shop)) out.push_back(photo_json(p, s.settings().bucket));
    send_json(res, 200, out);
  }));
  // Anything else (unknown routes, bodies over the size limit) still answers JSON.
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    std::string msg = res.status == 404   ? "no such route"
                      : res.status == 413 ? "the request body is too large"
                      : res.status == 405 ? "method not allowed"
                                          : "bad request";
    send_json(res, res.status, {{"error", msg}});
  });
}

}  // namespace ranker
