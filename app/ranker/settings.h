// The ranker's own settings: resource names and limits, from RANKER_* environment variables
// (flags override them in main). AWS settings (credentials, region, endpoints) are not here: the
// AWS client reads them the standard way.
#pragma once
#include <cstddef>
#include <string>

#include "aws/config.h"

namespace ranker {

struct Settings {
  std::string bucket;                          // RANKER_BUCKET
  std::string shops_table = "ranker-shops";     // RANKER_SHOPS_TABLE
  std::string ratings_table = "ranker-ratings"; // RANKER_RATINGS_TABLE
  std::string photo_acl;        // RANKER_PHOTO_ACL: x-amz-acl sent with photos ("public-read"); empty: none
  std::string public_url_base;  // RANKER_PUBLIC_URL_BASE: overrides the computed public photo URL base
  size_t max_photo_bytes = 5 * 1024 * 1024;  // RANKER_MAX_PHOTO_BYTES
  std::string host = "127.0.0.1";             // RANKER_HOST
  int port = 8080;                            // RANKER_PORT
};

// Bucket names are global across all AWS accounts, so the default must differ between users:
// "coffeeshopranker-" + the first 12 hex digits of SHA-256(access key id), stable for one key
// and unguessable from it. Without credentials: "coffeeshopranker-local".
std::string default_bucket_name(const aws::Credentials& creds);

// Throws aws::ConfigError on malformed numbers.
Settings settings_from_env(const aws::EnvLookup& env, const aws::Credentials& creds);

}  // namespace ranker
