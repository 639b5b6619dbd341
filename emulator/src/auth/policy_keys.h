// The global condition keys (aws:...) of one request, as every service's policies see them.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
#pragma once
#include <cstdint>
#include <string>

#include "auth/accounts.h"
#include "auth/policy_conditions.h"
#include "http/request.h"

namespace localaws::auth {

// aws:SourceIp, SecureTransport (always false: localaws speaks plain HTTP), CurrentTime,
// EpochTime, ViaAWSService, PrincipalIsAWSService, RequestedRegion, ResourceAccount, the
// principal's keys (PrincipalType Account or Anonymous, userid, PrincipalAccount, PrincipalArn:
// every localaws identity is an account's root user, so there is no aws:username), Referer and
// UserAgent.
PolicyContext global_keys(const http::Request& r, const Principal& who, int64_t now_ms, const std::string& region,
                          const std::string& resource_account);

}  // namespace localaws::auth
