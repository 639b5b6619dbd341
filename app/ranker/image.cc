#include "ranker/image.h"

namespace ranker {

std::optional<ImageType> sniff_image(std::string_view b) {
  if (b.size() >= 3 && b.substr(0, 3) == std::string_view("\xFF\xD8\xFF", 3)) return ImageType{"image/jpeg", "jpg"};
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1A\n", 8)) return ImageType{"image/png", "png"};
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") return ImageType{"image/webp", "webp"};
  return std::nullopt;
}

}  // namespace ranker
