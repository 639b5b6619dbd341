#include "auth/policy_keys.h"

#include "common/strings.h"
#include "common/time.h"

namespace localaws::auth {

namespace {

// The client's address as aws:SourceIp holds it (an IPv4-mapped IPv6 address as IPv4).
std::string source_ip(std::string addr) {
  if (addr.size() > 2 && addr.front() == '[' && addr.back() == ']') addr = addr.substr(1, addr.size() - 2);
  if (starts_with(addr, "::ffff:") && addr.find('.') != std::string::npos) addr = addr.substr(7);
  return addr;
}

}  // namespace

PolicyContext global_keys(const http::Request& r, const Principal& who, int64_t now_ms, const std::string& region,
                          const std::string& resource_account) {
  PolicyContext k;
  k.set("aws:SourceIp", source_ip(r.remote_addr));
  k.set("aws:SecureTransport", "false");
  k.set("aws:CurrentTime", iso8601_ms(now_ms));
  k.set("aws:EpochTime", std::to_string(now_ms / 1000));
  k.set("aws:ViaAWSService", "false");
  k.set("aws:PrincipalIsAWSService", "false");
  k.set("aws:RequestedRegion", region);
  k.set("aws:ResourceAccount", resource_account);
  if (who.anonymous) {
    k.set("aws:PrincipalType", "Anonymous");
    k.set("aws:userid", "anonymous");
  } else {
    k.set("aws:PrincipalType", "Account");
    k.set("aws:userid", who.account_id);
    k.set("aws:PrincipalAccount", who.account_id);
    k.set("aws:PrincipalArn", who.arn());
  }
  if (auto* v = r.header("referer")) k.set("aws:Referer", *v);
  if (auto* v = r.header("user-agent")) k.set("aws:UserAgent", *v);
  return k;
}

}  // namespace localaws::auth
