// The ranker's data: shops and votes in DynamoDB, photos in S3.
//
// Tables (both on-demand):
//   shops   HASH id (S); attributes name, address, lat, lon, votes, stars_total, score, board,
//           created_at. GSI "top-shops": HASH board (always "all"), RANGE score (N), ALL
//           projection: one Query, newest-best first, serves the ranking.
//   ratings HASH shop_id (S), RANGE user_id (S); attribute stars (N): one vote per user and shop.
// Photos: s3://bucket/photos/<shop id>/<random>.<ext>, readable by anyone through the bucket policy.
#pragma once
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "aws/dynamodb.h"
#include "aws/s3.h"
#include "ranker/settings.h"

namespace ranker {

struct NewShop {
  std::string name;
  std::string address;
  std::optional<double> lat, lon;
};

struct Shop {
  std::string id;
  std::string name;
  std::string address;
  std::optional<double> lat, lon;
  int64_t votes = 0;
  int64_t stars_total = 0;
  double rating = 0;  // plain mean
  double score = 0;   // Bayesian average (see ranking.h)
  std::string created_at;
};

// A presigned PUT URL a client uploads one photo to, outside the app; finished by take_upload.
struct Upload {
  std::string id;   // 24 hex digits
  std::string url;  // presigned PUT, valid expires_in seconds
  int expires_in = 0;
};

struct Photo {
  std::string key;
  std::string url;
  uint64_t size = 0;
  std::string last_modified;
};

// A shop that does not exist.
struct NotFound : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// A vote lost too many races with concurrent votes on the same shop.
struct Conflict : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Store {
 public:
  Store(const aws::S3Client& s3, const aws::DynamoDbClient& ddb, Settings settings);
  const Settings& settings() const { return settings_; }

  // Creates (or finds) the bucket, makes its objects publicly readable the way AWS allows today
  // (ownership controls, public access block lifted for policies, a bucket policy), and creates the
  // tables and index, waiting until they are ACTIVE. Safe to run again. Progress goes to `log`.
  void init(std::ostream& log) const;

  // Stores a new shop under a random id, or under `id` when given; with a given id that already
  // exists, returns nullopt and changes nothing (seeding twice is harmless).
  std::optional<Shop> create_shop(const NewShop& shop, const std::string& id = "") const;
  std::optional<Shop> get_shop(const std::string& id) const;
  // All shops, best score first (at most `limit`).
  std::vector<Shop> ranked_shops(size_t limit = 1000) const;
  // Sets `user`'s vote (1..5) on a shop and updates the shop's aggregate in one conditional
  // transaction; retried when a concurrent vote won the race. Throws NotFound, Conflict.
  Shop rate(const std::string& shop_id, const std::string& user, int stars) const;

  // Stores image bytes (already checked) under a generated key; `name` fixes the key's last part
  // (seeding) instead of a random one. Throws NotFound.
  Photo add_photo(const std::string& shop_id, const std::string& bytes, const std::string& mime,
                  const std::string& extension, const std::string& name = "") const;
  std::vector<Photo> photos(const std::string& shop_id) const;

  // Presigns a PUT to uploads/<shop id>/<upload id>. Throws NotFound.
  Upload start_upload(const std::string& shop_id) const;
  // Returns the bytes uploaded there and deletes the upload (the caller checks them and stores a
  // photo with add_photo). Throws NotFound when the shop or the upload does not exist.
  std::string take_upload(const std::string& shop_id, const std::string& upload_id) const;
  // The URL a browser opens for a photo, without credentials.
  std::string public_url(const std::string& key) const;

 private:
  void init_bucket(std::ostream& log) const;
  void init_table(const aws::Json& request, std::ostream& log) const;

  const aws::S3Client& s3_;
  const aws::DynamoDbClient& ddb_;
  Settings settings_;
};

}  // namespace ranker
