#include "auth/accounts.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/crypto.h"

namespace localaws::auth {

std::string Principal::arn() const { return anonymous ? "*" : "arn:aws:iam::" + account_id + ":root"; }

Principal Principal::from(const Account& a, const std::string& access_key_id) {
  Principal p;
  p.anonymous = false;
  p.access_key_id = access_key_id;
  p.account_id = a.account_id;
  p.canonical_user_id = a.canonical_user_id;
  p.display_name = a.display_name;
  p.email = a.email;
  return p;
}

Accounts::Accounts() {
  add({"test", "test", "000000000000", "", "localaws", "localaws@example.com"});
}

std::string Accounts::derive_canonical_id(const std::string& account_id) {
  return sha256_hex("localaws-canonical-user:" + account_id);
}

void Accounts::add(Account a) {
  if (a.canonical_user_id.empty()) a.canonical_user_id = derive_canonical_id(a.account_id);
  if (a.display_name.empty()) a.display_name = "account-" + a.account_id;
  for (auto& existing : accounts_) {
    if (existing.access_key_id == a.access_key_id) {
      existing = a;
      return;
    }
  }
  accounts_.push_back(std::move(a));
}

static bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void Accounts::load_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read accounts file " + path);
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    throw std::runtime_error("accounts file " + path + " is not valid JSON: " + e.what());
  }
  if (!doc.is_array()) throw std::runtime_error("accounts file " + path + " must hold a JSON list");
  size_t i = 0;
  for (auto& entry : doc) {
    auto where = path + " entry " + std::to_string(i++);
    if (!entry.is_object()) throw std::runtime_error(where + ": expected an object");
    auto str = [&](const char* k, bool required) -> std::string {
      if (!entry.contains(k)) {
        if (required) throw std::runtime_error(where + ": missing \"" + k + "\"");
        return "";
      }
      if (!entry[k].is_string()) throw std::runtime_error(where + ": \"" + k + "\" must be a string");
      return entry[k].get<std::string>();
    };
    Account a{str("accessKeyId", true), str("secretAccessKey", true), str("accountId", true),
              str("canonicalUserId", false), str("displayName", false), str("email", false)};
    if (a.account_id.size() != 12 || !all_digits(a.account_id))
      throw std::runtime_error(where + ": \"accountId\" must be 12 digits");
    if (a.access_key_id.empty() || a.secret_access_key.empty())
      throw std::runtime_error(where + ": keys must not be empty");
    add(std::move(a));
  }
}

const Account* Accounts::by_access_key(const std::string& key) const {
  for (auto& a : accounts_) {
    if (a.access_key_id == key) return &a;
  }
  return nullptr;
}
const Account* Accounts::by_account_id(const std::string& id) const {
  for (auto& a : accounts_) {
    if (a.account_id == id) return &a;
  }
  return nullptr;
}
const Account* Accounts::by_canonical_id(const std::string& id) const {
  for (auto& a : accounts_) {
    if (a.canonical_user_id == id) return &a;
  }
  return nullptr;
}
const Account* Accounts::by_email(const std::string& email) const {
  for (auto& a : accounts_) {
    if (!a.email.empty() && a.email == email) return &a;
  }
  return nullptr;
}

}  // namespace localaws::auth
