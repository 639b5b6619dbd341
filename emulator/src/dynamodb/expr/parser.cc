// Stage one of the expression pipeline: a hand-written recursive-descent parser.
//
//   condition  := or
//   or         := and ("OR" and)*
//   and        := not ("AND" not)*
//   not        := "NOT" not | "(" condition ")" | function | operand comparator operand
//               | operand "BETWEEN" operand "AND" operand | operand "IN" "(" operand ("," operand)* ")"
//   operand    := path | ":value" | name "(" operand ("," operand)* ")"
//   path       := (name | "#name") ("." (name | "#name") | "[" digits "]")*
//   update     := (("SET" set ("," set)*) | ("REMOVE" path ("," path)*)
//               | ("ADD" path ":value" ("," ...)*) | ("DELETE" path ":value" ("," ...)*))+
//   set        := path "=" operand (("+" | "-") operand)?
#include <cctype>
#include <cstdint>
#include <utility>

#include "dynamodb/expr/ast.h"

namespace localaws::ddb::expr {
namespace {

constexpr size_t kMaxPathDepth = 32;
constexpr size_t kMaxExpressionSize = 4096;  // bytes, as on AWS
constexpr int kMaxNesting = 100;              // parentheses / NOT: bounds the parser's recursion

struct Token {
  enum class Type { kName, kHashName, kValue, kNumber, kPunct, kInvalid, kEof };
  Type type;
  std::string text;
  size_t pos = 0, end = 0;
};

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (true) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i >= s.size()) break;
    size_t start = i;
    char c = s[i];
    Token t;
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (i < s.size() && ident_char(s[i])) ++i;
      t.type = Token::Type::kName;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      t.type = Token::Type::kNumber;
    } else if (c == '#' || c == ':') {
      ++i;
      while (i < s.size() && ident_char(s[i])) ++i;
      t.type = i - start > 1 ? (c == '#' ? Token::Type::kHashName : Token::Type::kValue) : Token::Type::kPunct;
    } else if ((c == '<' || c == '>') && i + 1 < s.size() && (s[i + 1] == '=' || (c == '<' && s[i + 1] == '>'))) {
      i += 2;
      t.type = Token::Type::kPunct;
    } else if (std::string_view("=<>()[],.+-").find(c) != std::string_view::npos) {
      ++i;
      t.type = Token::Type::kPunct;
    } else {
      ++i;  // one character, or one whole UTF-8 sequence
      while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
      t.type = Token::Type::kInvalid;
    }
    t.text = std::string(s.substr(start, i - start));
    t.pos = start;
    t.end = i;
    out.push_back(std::move(t));
  }
  Token eof;
  eof.type = Token::Type::kEof;
  eof.text = "<EOF>";
  eof.pos = eof.end = s.size();
  out.push_back(eof);
  return out;
}

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

bool is_grammar_keyword(std::string_view w) {
  for (const char* k : {"AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE"})
    if (iequal(w, k)) return true;
  return false;
}

struct FunctionInfo {
  const char* name;
  size_t arity;
  bool update;       // allowed in update expressions (else in conditions)
  bool needs_path;   // first argument must be a document path
};
constexpr FunctionInfo kFunctions[] = {
    {"attribute_exists", 1, false, true}, {"attribute_not_exists", 1, false, true},
    {"attribute_type", 2, false, true},   {"begins_with", 2, false, false},
    {"contains", 2, false, false},        {"size", 1, false, true},
    {"if_not_exists", 2, true, true},     {"list_append", 2, true, false},
};

class Parser {
 public:
  Parser(std::string_view text, bool update_mode) : text_(text), toks_(tokenize(text)), update_(update_mode) {
    if (text.size() > kMaxExpressionSize)
      throw ExprError("Expression size has exceeded the maximum allowed size; expression size: " + std::to_string(text.size()));
    if (toks_.size() == 1) throw ExprError("The expression can not be empty;");
  }

  Condition condition() {
    Condition c = or_expr();
    expect_eof();
    return c;
  }

  UpdateExpr update() {
    UpdateExpr u;
    bool seen[4] = {false, false, false, false};
    const char* names[4] = {"SET", "REMOVE", "ADD", "DELETE"};
    while (!at_eof()) {
      int clause = -1;
      if (cur().type == Token::Type::kName)
        for (int k = 0; k < 4; ++k)
          if (iequal(cur().text, names[k])) clause = k;
      if (clause < 0) syntax_error();
      if (seen[clause])
        throw ExprError(std::string("The \"") + names[clause] + "\" section can only be used once in an update expression;");
      seen[clause] = true;
      ++i_;
      do {
        UpdateAction a{static_cast<UpdateAction::Kind>(clause), path(), {}};
        if (a.kind == UpdateAction::Kind::kSet) {
          expect("=");
          a.value = set_value();
        } else if (a.kind != UpdateAction::Kind::kRemove) {
          if (cur().type != Token::Type::kValue) syntax_error();
          a.value = operand();
        }
        u.actions.push_back(std::move(a));
      } while (accept(","));
    }
    return u;
  }

  std::vector<Path> projection() {
    std::vector<Path> out;
    do out.push_back(path());
    while (accept(","));
    expect_eof();
    return out;
  }

 private:
  const Token& cur() const { return toks_[i_]; }
  bool at_eof() const { return cur().type == Token::Type::kEof; }
  bool is(const char* punct) const { return cur().type == Token::Type::kPunct && cur().text == punct; }
  bool is_keyword(const char* kw) const { return cur().type == Token::Type::kName && iequal(cur().text, kw); }
  bool accept(const char* punct) {
    if (!is(punct)) return false;
    ++i_;
    return true;
  }
  void expect(const char* punct) {
    if (!accept(punct)) syntax_error();
  }
  void expect_eof() {
    if (!at_eof()) syntax_error();
  }

  // AWS quotes the offending token and the source from the token before it to the one after.
  [[noreturn]] void syntax_error() const {
    size_t from = i_ > 0 ? toks_[i_ - 1].pos : cur().pos;
    size_t to = i_ + 1 < toks_.size() ? toks_[i_ + 1].end : cur().end;
    if (at_eof()) to = text_.size();
    throw ExprError("Syntax error; token: \"" + cur().text + "\", near: \"" + std::string(text_.substr(from, to - from)) + "\"");
  }

  Condition or_expr() { return chain(Condition::Kind::kOr, "OR", &Parser::and_expr); }
  Condition and_expr() { return chain(Condition::Kind::kAnd, "AND", &Parser::not_expr); }

  // left-associative: next (KEYWORD next)*
  Condition chain(Condition::Kind kind, const char* keyword, Condition (Parser::*next)()) {
    Condition left = (this->*next)();
    while (is_keyword(keyword)) {
      ++i_;
      Condition c;
      c.kind = kind;
      c.children.push_back(std::move(left));
      c.children.push_back((this->*next)());
      left = std::move(c);
    }
    return left;
  }

  Condition not_expr() {
    struct Depth {
      int& d;
      explicit Depth(int& x) : d(x) {
        if (++d > kMaxNesting) throw ExprError("The expression has too many levels of nesting; maximum: " + std::to_string(kMaxNesting));
      }
      ~Depth() { --d; }
    } depth(nesting_);
    if (is_keyword("NOT")) {
      ++i_;
      Condition c;
      c.kind = Condition::Kind::kNot;
      c.children.push_back(not_expr());
      return c;
    }
    if (is("(")) {
      size_t open = i_++;
      Condition c = or_expr();
      if (!is(")")) syntax_error();
      // "((a = :v))": a group whose whole content is another group. DynamoDB refuses it, while
      // "((a AND b) AND c)" is accepted (architect/dynalite issue #99, checked on DynamoDB).
      if (last_group_.second + 1 == i_ && last_group_.first == open + 1)
        throw ExprError("The expression has redundant parentheses;");
      last_group_ = {open, i_++};
      return c;
    }
    Condition c;
    Operand left = operand();
    auto is_cmp = [&] {
      for (const char* op : {"=", "<>", "<", "<=", ">", ">="})
        if (is(op)) return true;
      return false;
    };
    bool continues = is_cmp() || is_keyword("BETWEEN") || is_keyword("IN");
    if (left.kind == Operand::Kind::kFunction) {
      bool is_size = left.func == "size";
      if (is_size != continues) {
        throw ExprError("The function is not allowed to be used this way in an expression; function: " + left.func);
      }
      if (!continues) {
        c.kind = Condition::Kind::kFunction;
        c.op = left.func;
        c.operands = std::move(left.args);
        return c;
      }
    }
    if (is_cmp()) {
      c.kind = Condition::Kind::kCompare;
      c.op = cur().text;
      ++i_;
      c.operands.push_back(std::move(left));
      c.operands.push_back(operand());
    } else if (is_keyword("BETWEEN")) {
      ++i_;
      c.kind = Condition::Kind::kBetween;
      c.operands.push_back(std::move(left));
      c.operands.push_back(operand());
      if (!is_keyword("AND")) syntax_error();
      ++i_;
      c.operands.push_back(operand());
    } else if (is_keyword("IN")) {
      ++i_;
      c.kind = Condition::Kind::kIn;
      c.operands.push_back(std::move(left));
      expect("(");
      do c.operands.push_back(operand());
      while (accept(","));
      expect(")");
      if (c.operands.size() > 101)
        throw ExprError("The IN operator is provided with too many operands; number of operands: " +
                        std::to_string(c.operands.size() - 1));
    } else {
      syntax_error();
    }
    return c;
  }

  // SET's right-hand side: operand, optionally + or - another.
  Operand set_value() {
    Operand left = operand();
    if (is("+") || is("-")) {
      Operand o;
      o.kind = is("+") ? Operand::Kind::kPlus : Operand::Kind::kMinus;
      ++i_;
      o.args.push_back(std::move(left));
      o.args.push_back(operand());
      return o;
    }
    return left;
  }

  Operand operand(bool nested = false) {
    if (nested && ++nesting_ > kMaxNesting) throw ExprError("The expression has too many levels of nesting; maximum: " + std::to_string(kMaxNesting));
    struct Undo {
      int& d;
      bool on;
      ~Undo() { d -= on; }
    } undo{nesting_, nested};
    Operand o;
    if (cur().type == Token::Type::kValue) {
      o.kind = Operand::Kind::kValue;
      o.value_ref = cur().text;
      ++i_;
      return o;
    }
    if (cur().type == Token::Type::kName && i_ + 1 < toks_.size() && toks_[i_ + 1].type == Token::Type::kPunct &&
        toks_[i_ + 1].text == "(") {
      o.kind = Operand::Kind::kFunction;
      o.func = cur().text;
      const FunctionInfo* info = nullptr;
      for (auto& f : kFunctions)
        if (o.func == f.name) info = &f;
      if (!info) throw ExprError("Invalid function name; function: " + o.func);
      if (info->update != update_)
        throw ExprError(std::string("The function is not allowed in ") + (update_ ? "an update" : "a condition") +
                        " expression; function: " + o.func);
      if (nested && !update_)
        throw ExprError("The function is not allowed to be used this way in an expression; function: " + o.func);
      i_ += 2;
      do o.args.push_back(operand(true));
      while (accept(","));
      expect(")");
      if (o.args.size() != info->arity)
        throw ExprError("Incorrect number of operands for operator or function; operator or function: " + o.func +
                        ", number of operands: " + std::to_string(o.args.size()));
      if (info->needs_path && o.args[0].kind != Operand::Kind::kPath)
        throw ExprError("Operator or function requires a document path; operator or function: " + o.func);
      return o;
    }
    o.kind = Operand::Kind::kPath;
    o.path = path();
    return o;
  }

  PathElem name_elem() {
    const Token& t = cur();
    if (t.type == Token::Type::kHashName) {
      ++i_;
      return {t.text, -1};
    }
    if (t.type != Token::Type::kName || is_grammar_keyword(t.text)) syntax_error();
    if (is_reserved_word(t.text)) throw ExprError("Attribute name is a reserved keyword; reserved keyword: " + t.text);
    ++i_;
    return {t.text, -1};
  }

  Path path() {
    Path p;
    p.elems.push_back(name_elem());
    while (true) {
      if (accept(".")) {
        p.elems.push_back(name_elem());
      } else if (accept("[")) {
        if (cur().type != Token::Type::kNumber || cur().text.size() > 9) syntax_error();
        p.elems.push_back({"", std::stoi(cur().text)});
        ++i_;
        expect("]");
      } else {
        break;
      }
      if (p.elems.size() > kMaxPathDepth)
        throw ExprError("The document path has too many nesting levels; nesting levels: " + std::to_string(p.elems.size()));
    }
    return p;
  }

  std::string_view text_;
  std::vector<Token> toks_;
  bool update_;
  size_t i_ = 0;
  int nesting_ = 0;
  // Token positions of the '(' and ')' of the condition group closed last.
  std::pair<size_t, size_t> last_group_{SIZE_MAX, SIZE_MAX - 1};
};

}  // namespace

std::string Path::to_string() const {
  std::string s = "[";
  for (size_t i = 0; i < elems.size(); ++i) {
    if (i) s += ", ";
    s += elems[i].is_index() ? "[" + std::to_string(elems[i].index) + "]" : elems[i].name;
  }
  return s + "]";
}

Condition parse_condition(std::string_view text) { return Parser(text, false).condition(); }
UpdateExpr parse_update(std::string_view text) { return Parser(text, true).update(); }
std::vector<Path> parse_projection(std::string_view text) { return Parser(text, false).projection(); }

}  // namespace localaws::ddb::expr
