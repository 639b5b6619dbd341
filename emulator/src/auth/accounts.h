// Who may sign requests: the configured accounts and the principal a request resolves to.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace localaws::auth {

struct Account {
  std::string access_key_id;
  std::string secret_access_key;
  std::string account_id;         // 12 digits
  std::string canonical_user_id;  // 64 hex characters, as S3 shows owners
  std::string display_name;
  std::string email;
};

// The identity a request acts as. Anonymous when it carries no signature.
struct Principal {
  bool anonymous = true;
  std::string access_key_id;
  std::string account_id;
  std::string canonical_user_id;
  std::string display_name;
  std::string email;
  std::string arn() const;  // arn:aws:iam::<account>:root, or "*" for anonymous
  static Principal from(const Account& a, const std::string& access_key_id);
};

class Accounts {
 public:
  // Starts with the default account: access key "test", secret "test", id 000000000000.
  Accounts();
  // Adds the accounts of a JSON file: a list of {"accessKeyId", "secretAccessKey", "accountId",
  // "canonicalUserId"?, "displayName"?, "email"?}. Throws std::runtime_error naming the file
  // and the problem when it is unreadable or malformed.
  void load_file(const std::string& path);
  void add(Account a);  // fills canonical id and display name when empty

  const Account* by_access_key(const std::string& key) const;
  const Account* by_account_id(const std::string& id) const;
  const Account* by_canonical_id(const std::string& id) const;
  const Account* by_email(const std::string& email) const;
  const Account& default_account() const { return accounts_.front(); }
  const std::vector<Account>& all() const { return accounts_; }

  // A stable 64-hex canonical user id for an account id (AWS's are opaque 64-hex strings).
  static std::string derive_canonical_id(const std::string& account_id);

 private:
  std::vector<Account> accounts_;
};

}  // namespace localaws::auth
