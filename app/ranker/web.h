// The web page: plain HTML, CSS and JavaScript compiled into the binary, so it works offline.
#pragma once
#include <string>

namespace ranker {

const std::string& index_html();

}  // namespace ranker
