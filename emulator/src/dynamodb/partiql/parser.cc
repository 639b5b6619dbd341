// PartiQL lexer and recursive-descent parser for the statements DynamoDB accepts: SELECT,
// INSERT INTO ... VALUE, UPDATE ... SET / REMOVE ... WHERE, DELETE FROM ... WHERE.
// Literals: 'strings' ('' escapes a quote), numbers, TRUE / FALSE, NULL, [lists], {'maps': v},
// <<sets>>; identifiers bare or "double-quoted"; `?` takes the next parameter.
#include <cctype>

#include "dynamodb/error.h"
#include "dynamodb/partiql/ast.h"

namespace localaws::ddb::partiql {
namespace {

[[noreturn]] void malformed(const std::string& detail) {
  throw DdbError::validation("Statement wasn't well formed, can't be processed: " + detail);
}

struct Token {
  enum class Kind { kIdent, kQuoted, kString, kNumber, kPunct, kParam, kEnd };
  Kind kind = Kind::kEnd;
  std::string text;  // identifiers: as written; strings / quoted: unescaped; punct: the symbol
};

std::vector<Token> lex(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  auto quoted = [&](char q) {
    std::string v;
    for (++i;; ++i) {
      if (i >= s.size()) malformed(q == '\'' ? "Unterminated string literal" : "Unterminated quoted identifier");
      if (s[i] == q) {
        if (i + 1 < s.size() && s[i + 1] == q) {
          v += q;
          ++i;
          continue;
        }
        ++i;
        return v;
      }
      v += s[i];
    }
  };
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '\'') {
      out.push_back({Token::Kind::kString, quoted('\'')});
    } else if (c == '"') {
      out.push_back({Token::Kind::kQuoted, quoted('"')});
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      size_t b = i;
      while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
      if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      }
      out.push_back({Token::Kind::kNumber, std::string(s.substr(b, i - b))});
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t b = i;
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '$')) ++i;
      out.push_back({Token::Kind::kIdent, std::string(s.substr(b, i - b))});
    } else if (c == '?') {
      out.push_back({Token::Kind::kParam, "?"});
      ++i;
    } else {
      static const char* kTwo[] = {"<=", ">=", "<>", "!=", "<<", ">>"};
      std::string sym(1, c);
      for (const char* t : kTwo)
        if (s.substr(i, 2) == t) sym = t;
      if (sym.size() == 1 && std::string_view(",.()[]{}:*=<>+-;").find(c) == std::string_view::npos)
        malformed("Unexpected character " + sym);
      out.push_back({Token::Kind::kPunct, sym});
      i += sym.size();
    }
  }
  // A trailing semicolon ends the statement.
  if (!out.empty() && out.back().kind == Token::Kind::kPunct && out.back().text == ";") out.pop_back();
  out.push_back({Token::Kind::kEnd, ""});
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Words that cannot be bare attribute names.
bool is_keyword(const std::string& w) {
  static const char* kWords[] = {"select", "from",  "where", "and",    "or",     "not",  "between", "in",
                                 "is",     "missing", "null", "true",  "false",  "order", "by",     "asc",
                                 "desc",   "insert", "into",  "value", "values", "update", "set",   "remove",
                                 "delete", "returning", "exists"};
  std::string l = lower(w);
  for (const char* k : kWords)
    if (l == k) return true;
  return false;
}

class Parser {
 public:
  Parser(std::string_view text, const json& params) : toks_(lex(text)), params_(params) {}

  Statement statement() {
    Statement st;
    if (word("select")) select(st);
    else if (word("insert")) insert(st);
    else if (word("update")) update(st);
    else if (word("delete")) remove(st);
    else malformed("Expected data manipulation");
    if (peek().kind != Token::Kind::kEnd) unexpected();
    if (params_.is_array() && next_param_ != params_.size()) parameter_mismatch();
    return st;
  }

 private:
  const Token& peek(size_t ahead = 0) const { return toks_[std::min(pos_ + ahead, toks_.size() - 1)]; }
  bool is_word(const char* w, size_t ahead = 0) const {
    return peek(ahead).kind == Token::Kind::kIdent && lower(peek(ahead).text) == w;
  }
  bool word(const char* w) {
    if (!is_word(w)) return false;
    ++pos_;
    return true;
  }
  bool is_punct(const char* p, size_t ahead = 0) const {
    return peek(ahead).kind == Token::Kind::kPunct && peek(ahead).text == p;
  }
  bool punct(const char* p) {
    if (!is_punct(p)) return false;
    ++pos_;
    return true;
  }
  [[noreturn]] void unexpected() const {
    const Token& t = peek();
    if (t.kind == Token::Kind::kEnd) malformed("Unexpected end of statement");
    if (t.kind == Token::Kind::kIdent && is_keyword(t.text)) malformed("Unexpected keyword");
    malformed("Unexpected token");
  }
  [[noreturn]] static void parameter_mismatch() {
    throw DdbError::validation("Number of parameters in request and statement don't match.");
  }
  void expect_word(const char* w) {
    if (!word(w)) unexpected();
  }
  void expect_punct(const char* p) {
    if (!punct(p)) unexpected();
  }

  // A table, index or attribute name: bare (not a keyword) or double-quoted.
  std::string name() {
    const Token& t = peek();
    if (t.kind == Token::Kind::kQuoted || (t.kind == Token::Kind::kIdent && !is_keyword(t.text))) {
      ++pos_;
      if (t.text.empty()) malformed("Empty quoted identifier");
      return t.text;
    }
    unexpected();
  }

  void table_ref(Statement& st) {
    st.table = name();
    if (punct(".")) st.index = name();
  }

  expr::Path path() {
    expr::Path p;
    p.elems.push_back({name(), -1});
    for (;;) {
      if (punct(".")) {
        p.elems.push_back({name(), -1});
      } else if (punct("[")) {
        const Token& t = peek();
        if (t.kind == Token::Kind::kNumber && t.text.find_first_not_of("0123456789") == std::string::npos) {
          p.elems.push_back({"", std::stoi(t.text.size() > 9 ? std::string("999999999") : t.text)});
        } else if (t.kind == Token::Kind::kString) {
          p.elems.push_back({t.text, -1});
        } else {
          unexpected();
        }
        ++pos_;
        expect_punct("]");
      } else {
        return p;
      }
    }
  }

  void select(Statement& st) {
    st.kind = Statement::Kind::kSelect;
    if (!punct("*")) {
      do st.projection.push_back(path());
      while (punct(","));
    }
    expect_word("from");
    table_ref(st);
    if (word("where")) st.where = condition();
    if (word("order")) {
      expect_word("by");
      st.order_by = path();
      if (word("desc")) st.descending = true;
      else word("asc");
    }
  }

  void insert(Statement& st) {
    st.kind = Statement::Kind::kInsert;
    expect_word("into");
    st.table = name();
    if (is_word("values")) malformed("Unexpected keyword");
    expect_word("value");
    if (!is_punct("{") && peek().kind != Token::Kind::kParam) unexpected();
    json v = literal();
    if (!v.contains("M")) malformed("Unexpected type for INSERT VALUE: a map (tuple) is required");
    st.item = v["M"];
  }

  void update(Statement& st) {
    st.kind = Statement::Kind::kUpdate;
    st.table = name();
    bool any = false;
    for (;;) {
      if (word("set")) {
        do {
          SetAction a;
          a.path = path();
          expect_punct("=");
          a.value = value();
          st.sets.push_back(std::move(a));
        } while (punct(","));
      } else if (word("remove")) {
        do st.removes.push_back(path());
        while (punct(","));
      } else {
        break;
      }
      any = true;
    }
    if (!any) unexpected();
    expect_word("where");
    st.where = condition();
    if (is_word("returning")) malformed("RETURNING is not supported by localaws");
  }

  void remove(Statement& st) {
    st.kind = Statement::Kind::kDelete;
    expect_word("from");
    st.table = name();
    expect_word("where");
    st.where = condition();
    if (is_word("returning")) malformed("RETURNING is not supported by localaws");
  }

  // Conditions: OR < AND < NOT < predicates.
  Cond condition() {
    Cond left = conjunction();
    while (word("or")) left = binary(Cond::Kind::kOr, std::move(left), conjunction());
    return left;
  }
  Cond conjunction() {
    Cond left = negation();
    while (word("and")) left = binary(Cond::Kind::kAnd, std::move(left), negation());
    return left;
  }
  static Cond binary(Cond::Kind k, Cond a, Cond b) {
    Cond c;
    c.kind = k;
    c.children.push_back(std::move(a));
    c.children.push_back(std::move(b));
    return c;
  }
  Cond negation() {
    if (word("not")) {
      Cond c;
      c.kind = Cond::Kind::kNot;
      c.children.push_back(negation());
      return c;
    }
    return predicate();
  }

  static bool is_condition_function(const std::string& f) {
    return f == "begins_with" || f == "contains" || f == "attribute_type" || f == "attribute_exists" ||
           f == "attribute_not_exists";
  }

  Cond predicate() {
    if (punct("(")) {
      Cond c = condition();
      expect_punct(")");
      return c;
    }
    if (peek().kind == Token::Kind::kIdent && is_punct("(", 1) && is_condition_function(lower(peek().text))) {
      Cond c;
      c.kind = Cond::Kind::kFunction;
      c.op = lower(peek().text);
      pos_ += 2;
      if (!is_punct(")")) {
        do c.operands.push_back(value());
        while (punct(","));
      }
      expect_punct(")");
      return c;
    }
    Expr left = value();
    Cond c;
    c.operands.push_back(std::move(left));
    if (word("is")) {
      bool negated = word("not");
      if (!word("missing")) unexpected();
      c.kind = negated ? Cond::Kind::kNotMissing : Cond::Kind::kMissing;
      if (c.operands[0].kind != Expr::Kind::kPath) malformed("IS MISSING requires a document path");
      return c;
    }
    bool negated = word("not");
    if (word("between")) {
      c.kind = Cond::Kind::kBetween;
      c.operands.push_back(value());
      expect_word("and");
      c.operands.push_back(value());
    } else if (word("in")) {
      c.kind = Cond::Kind::kIn;
      const char* close = punct("[") ? "]" : (expect_punct("("), ")");
      do c.operands.push_back(value());
      while (punct(","));
      expect_punct(close);
    } else if (negated) {
      unexpected();
    } else {
      static const char* kOps[] = {"=", "<>", "!=", "<", "<=", ">", ">="};
      const char* op = nullptr;
      for (const char* o : kOps)
        if (is_punct(o)) op = o;
      if (!op) unexpected();
      ++pos_;
      c.kind = Cond::Kind::kCompare;
      c.op = std::string(op) == "!=" ? "<>" : op;
      c.operands.push_back(value());
    }
    if (!negated) return c;
    Cond n;
    n.kind = Cond::Kind::kNot;
    n.children.push_back(std::move(c));
    return n;
  }

  // Values: a + b, a - b (UPDATE ... SET), primaries otherwise.
  Expr value() {
    Expr left = primary();
    while (is_punct("+") || is_punct("-")) {
      Expr e;
      e.kind = punct("+") ? Expr::Kind::kPlus : (++pos_, Expr::Kind::kMinus);
      e.args.push_back(std::move(left));
      e.args.push_back(primary());
      left = std::move(e);
    }
    return left;
  }

  Expr primary() {
    const Token& t = peek();
    if (t.kind == Token::Kind::kIdent && is_punct("(", 1) && !is_keyword(t.text)) {
      Expr e;
      e.kind = Expr::Kind::kFunction;
      e.func = lower(t.text);
      pos_ += 2;
      if (!is_punct(")")) {
        do e.args.push_back(value());
        while (punct(","));
      }
      expect_punct(")");
      return e;
    }
    if (t.kind == Token::Kind::kQuoted || (t.kind == Token::Kind::kIdent && !is_keyword(t.text))) {
      Expr e;
      e.path = path();
      return e;
    }
    Expr e;
    e.kind = Expr::Kind::kValue;
    e.value = literal();
    return e;
  }

  json param() {
    ++pos_;
    if (!params_.is_array() || next_param_ >= params_.size()) parameter_mismatch();
    return params_[next_param_++];
  }

  // One literal as an AttributeValue.
  json literal() {
    const Token& t = peek();
    switch (t.kind) {
      case Token::Kind::kParam:
        return param();
      case Token::Kind::kString:
        ++pos_;
        return {{"S", t.text}};
      case Token::Kind::kNumber:
        ++pos_;
        return {{"N", t.text}};
      case Token::Kind::kIdent: {
        std::string w = lower(t.text);
        if (w == "true" || w == "false") {
          ++pos_;
          return {{"BOOL", w == "true"}};
        }
        if (w == "null") {
          ++pos_;
          return {{"NULL", true}};
        }
        if (w == "missing") malformed("MISSING is only supported in IS [NOT] MISSING");
        unexpected();
      }
      case Token::Kind::kPunct:
        break;
      default:
        unexpected();
    }
    if (punct("-")) {
      if (peek().kind != Token::Kind::kNumber) unexpected();
      return {{"N", "-" + toks_[pos_++].text}};
    }
    if (punct("[")) {
      json l = json::array();
      if (!is_punct("]")) {
        do l.push_back(literal());
        while (punct(","));
      }
      expect_punct("]");
      return {{"L", l}};
    }
    if (punct("{")) {
      json m = json::object();
      if (!is_punct("}")) {
        do {
          if (peek().kind != Token::Kind::kString) unexpected();
          std::string key = toks_[pos_++].text;
          expect_punct(":");
          if (m.contains(key)) malformed("Duplicate key in map literal: " + key);
          m[key] = literal();
        } while (punct(","));
      }
      expect_punct("}");
      return {{"M", m}};
    }
    if (punct("<<")) {
      json members = json::array();
      std::string type;
      do {
        json v = literal();
        std::string vt = v.is_object() && v.size() == 1 ? v.begin().key() : "";
        if (vt != "S" && vt != "N" && vt != "B") malformed("Sets may only contain strings, numbers or binary values");
        if (!type.empty() && vt != type) malformed("Sets must contain values of a single type");
        type = vt;
        members.push_back(v.begin().value());
      } while (punct(","));
      expect_punct(">>");
      return {{type + "S", members}};
    }
    unexpected();
  }

  std::vector<Token> toks_;
  const json& params_;
  size_t pos_ = 0;
  size_t next_param_ = 0;
};

}  // namespace

Statement parse(std::string_view text, const json& params) { return Parser(text, params).statement(); }

}  // namespace localaws::ddb::partiql
