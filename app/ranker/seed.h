// Loads demo data: <dir>/shops.json, <dir>/ratings.json and the images in <dir>/photos/.
//   shops.json:   [{"id", "name", "address", "lat"?, "lon"?, "photos": ["espresso.png", ...]}]
//   ratings.json: [{"shop": "<id>", "user": "ana", "stars": 5}]
// Ids are fixed in the files, so seeding twice changes nothing.
#pragma once
#include <iosfwd>
#include <string>

#include "ranker/store.h"

namespace ranker {

// Throws std::runtime_error naming the file on unreadable or malformed input.
void seed(const Store& store, const std::string& dir, std::ostream& log);

}  // namespace ranker
