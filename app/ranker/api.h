// The ranker's HTTP API (JSON) and its web page, on cpp-httplib.
//   GET  /healthz
//   GET  /                               the web page
//   POST /api/shops                      {"name", "address", "lat"?, "lon"?} -> 201 shop
//   GET  /api/shops                      ranked, best first: [{id, name, rating, votes, score, ...}]
//   GET  /api/shops/{id}
//   PUT  /api/shops/{id}/ratings/{user}  {"stars": 1..5} -> the shop's new aggregate
//   POST /api/shops/{id}/photos          image body, or multipart field "photo" -> 201 {key, url}
//   GET  /api/shops/{id}/photos          [{key, url, size, last_modified}]
//   POST /api/shops/{id}/photo-uploads   -> 201 {upload_id, url, method: "PUT", expires_in}: a presigned
//                                        S3 URL the client PUTs the image to directly, then
//   POST /api/shops/{id}/photo-uploads/{upload_id}  checks those bytes like a direct upload -> 201 {key, url}
// Bad input answers 4xx {"error": "..."}; a failing AWS call answers 502 with AWS's code.
#pragma once
#include <httplib.h>

#include "ranker/store.h"

namespace ranker {

void install_routes(httplib::Server& server, const Store& store);

}  // namespace ranker
