// chainrule.questions.Checker's rule for a page without Python (the offline step-through page).
// It reads the data of chainrule.offline.offline_checker: the graph (each node's op table row
// and inputs), each gradient's terms as paths of local derivatives, each question's catalogued
// mistakes as expressions, and each derivative's comparison points for formulas. The cases of
// the rule live in Python; this file holds the op table's arithmetic, a safe formula parser
// (a tokenizer and a recursive descent: nothing typed is run) and Checker's steps.
// tests/autograd/test_offline_checking.py runs it against Python on 1,000 answer sequences.
(function () {
  "use strict";

  // -- the op table's forward and local derivatives (autograd/ops.py), one pair per row --
  function domain(message) { throw new Error(message); }
  function power(a, n) {
    if (a < 0 && !Number.isInteger(n)) { domain("**: negative base to a fractional power"); }
    if (a === 0 && n < 1 && n !== 0) { domain("**: zero base to a power below 1"); }
    return Math.pow(a, n);
  }
  function sigmoid(a) {
    if (a >= 0) { return 1 / (1 + Math.exp(-a)); }
    var e = Math.exp(a);
    return e / (1 + e);
  }
  function weightedSum(inputs) {
    var half = (inputs.length - 1) / 2, total = inputs[inputs.length - 1];
    for (var i = 0; i < half; i++) { total += inputs[i] * inputs[half + i]; }
    return total;
  }
  var OPS = {
    "+": [function (x) { return x[0] + x[1]; }, function () { return [1, 1]; }],
    "-": [function (x) { return x[0] - x[1]; }, function () { return [1, -1]; }],
    "*": [function (x) { return x[0] * x[1]; }, function (out, x) { return [x[1], x[0]]; }],
    "/": [function (x) { return x[1] === 0 ? domain("/: division by zero") : x[0] / x[1]; },
      function (out, x) { return [1 / x[1], -out / x[1]]; }],
    "neg": [function (x) { return -x[0]; }, function () { return [-1]; }],
    "**n": [function (x, n) { return power(x[0], n); },
      function (out, x, n) { return [n === 0 ? 0 : n * Math.pow(x[0], n - 1)]; }],
    "**": [function (x) { return x[0] <= 0 ? domain("**: base must be > 0") : Math.pow(x[0], x[1]); },
      function (out, x) { return [x[1] * Math.pow(x[0], x[1] - 1), out * Math.log(x[0])]; }],
    "exp": [function (x) { return Math.exp(x[0]); }, function (out) { return [out]; }],
    "log": [function (x) { return x[0] <= 0 ? domain("log: needs a positive input") : Math.log(x[0]); },
      function (out, x) { return [1 / x[0]]; }],
    "sigmoid": [function (x) { return sigmoid(x[0]); }, function (out) { return [out * (1 - out)]; }],
    "tanh": [function (x) { return Math.tanh(x[0]); }, function (out) { return [1 - out * out]; }],
    "relu": [function (x) { return x[0] > 0 ? x[0] : 0; },
      function (out, x) { return [x[0] > 0 ? 1 : 0]; }],
    "leaky_relu": [function (x, n) { return x[0] > 0 ? x[0] : n * x[0]; },
      function (out, x, n) { return [x[0] > 0 ? 1 : n]; }],
    "w·x+b": [weightedSum, function (out, x) {
      var half = (x.length - 1) / 2;
      return x.slice(half, 2 * half).concat(x.slice(0, half), [1]);
    }],
  };
  function apply(row, argument, inputs) {
    // [value, local derivatives] of a row bound to its argument; a fused neuron (w·x+b bound
    // to an activation) is its sum, then the activation, as chainrule.formulas.replay_numbers.
    var op = OPS[row];
    if (!op) { domain("no op " + row); }
    var out, grads;
    if (typeof argument === "string") {
      var z = op[0](inputs), act = OPS[argument];
      out = act[0]([z]);
      var slope = act[1](out, [z])[0];
      grads = op[1](z, inputs).map(function (d) { return d * slope; });
    } else {
      out = op[0](inputs, argument);
      grads = op[1](out, inputs, argument);
    }
    if (!isFinite(out)) { domain(row + ": result is not finite"); }
    return [out, grads];
  }

  // -- numbers as chainrule.questions writes and checks them --
  var NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/;
  function parseNumber(text) {
    var cleaned = text.trim().replace(/\u2212/g, "-").replace(/ /g, "").toLowerCase();
    if (cleaned.indexOf(",") >= 0 && cleaned.indexOf(".") < 0) { cleaned = cleaned.replace(/,/g, "."); }
    if (!NUMBER.test(cleaned)) { return null; }
    var value = Number(cleaned);
    return isFinite(value) ? value : null;
  }
  function halfUnit(value, figures) {
    var exponent = value ? Math.floor(Math.log10(Math.abs(value))) : -1;
    return 0.5 * Math.pow(10, exponent - figures + 1);
  }
  function roundSignificant(value, figures) {
    return value === 0 ? 0 : Number(value.toPrecision(figures));
  }
  function agrees(answer, expected, figures) {
    return Math.abs(answer - expected) <= halfUnit(expected, figures) * (1 + 1e-9) ||
      answer === roundSignificant(expected, figures);
  }
  function formatG(value, figures) {  // Python's f"{value:.{figures}g}"
    if (value === 0) { return 1 / value < 0 ? "-0" : "0"; }
    var strip = function (text) {
      return text.indexOf(".") < 0 ? text : text.replace(/0+$/, "").replace(/\.$/, "");
    };
    var parts = value.toExponential(figures - 1).split("e"), exponent = Number(parts[1]);
    if (exponent < -4 || exponent >= figures) {
      var digits = String(Math.abs(exponent));
      return strip(parts[0]) + "e" + (exponent < 0 ? "-" : "+") + (digits.length < 2 ? "0" : "") +
        digits;
    }
    return strip(value.toFixed(figures - 1 - exponent));
  }
  function shownValue(value, figures) { return formatG(roundSignificant(value, figures), figures); }
  function same(a, b) { return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)); }
  function close(a, b) {  // math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)
    return Math.abs(a - b) <= Math.max(1e-6 * Math.max(Math.abs(a), Math.abs(b)), 1e-12);
  }
  function pythonRepr(text) {  // as Python's repr() quotes a str, for the same message
    var quote = text.indexOf("'") >= 0 && text.indexOf('"') < 0 ? '"' : "'";
    var escapes = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
    escapes[quote] = "\\" + quote;
    return quote + text.replace(/[\\\n\r\t'"]/g, function (c) { return escapes[c] || c; }) + quote;
  }

  // -- a formula typed as text: autograd.expression's grammar, parsed, never run --
  var TOKEN = /\s*(?:((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|([\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*)|(\*\*|[-+*\/(),]))/uy;
  function parseFormula(text, notation) {
    var source = text;
    notation.forEach(function (pair) { source = source.split(pair[0]).join(pair[1]); });
    source = source.trim();
    var tokens = [];
    TOKEN.lastIndex = 0;
    while (TOKEN.lastIndex < source.length) {
      var at = TOKEN.lastIndex, found = TOKEN.exec(source);
      if (!found) {
        if (!source.slice(at).trim()) { break; }
        domain("not a valid expression at " + pythonRepr(source.slice(at, at + 20)));
      }
      tokens.push(found[1] ? { number: Number(found[1]) } :
        found[2] ? { name: found[2].normalize("NFKC") } : { symbol: found[3] });
    }
    var position = 0;
    function peek(symbol) { return tokens[position] && tokens[position].symbol === symbol; }
    function take(symbol) {
      if (!peek(symbol)) { domain("expected " + symbol); }
      position++;
    }
    function sum() {
      var node = product();
      while (peek("+") || peek("-")) {
        var op = tokens[position++].symbol;
        node = { binary: op, left: node, right: product() };
      }
      return node;
    }
    function product() {
      var node = unary();
      while (peek("*") || peek("/")) {
        var op = tokens[position++].symbol;
        node = { binary: op, left: node, right: unary() };
      }
      return node;
    }
    function unary() {
      if (peek("-") || peek("+")) {
        var op = tokens[position++].symbol;
        return { unary: op, operand: unary() };
      }
      return raised();
    }
    function raised() {  // ** binds tighter than a sign on its left, and to the right
      var base = atom();
      if (peek("**")) { position++; return { binary: "**", left: base, right: unary() }; }
      return base;
    }
    function atom() {
      var token = tokens[position++];
      if (!token) { domain("the expression ends too soon"); }
      if ("number" in token) { return { number: token.number }; }
      if (token.symbol === "(") { var inner = sum(); take(")"); return inner; }
      if (!token.name) { domain("unexpected " + token.symbol); }
      if (!peek("(")) { return { name: token.name }; }
      position++;
      var args = [sum()];
      while (peek(",")) { position++; args.push(sum()); }
      take(")");
      return { call: token.name, args: args };
    }
    var tree = sum();
    if (position < tokens.length) { domain("unexpected text after the expression"); }
    return tree;
  }
  function literal(node) {  // a number with any signs (-0.5), else null
    var sign = 1;
    while (node.unary) { if (node.unary === "-") { sign = -sign; } node = node.operand; }
    return "number" in node ? sign * node.number : null;
  }
  function evaluate(node, variables, functions) {
    // autograd.expression's Values, as numbers: each op through the op table above.
    if ("number" in node) { return node.number; }
    if (node.name !== undefined) {
      if (!Object.prototype.hasOwnProperty.call(variables, node.name)) {
        domain("unknown name " + pythonRepr(node.name));
      }
      return variables[node.name];
    }
    if (node.unary) {
      if (literal(node) !== null) { return literal(node); }
      var operand = evaluate(node.operand, variables, functions);
      return node.unary === "-" ? apply("neg", null, [operand])[0] : operand;
    }
    if (node.binary) {
      var left = evaluate(node.left, variables, functions);
      if (node.binary === "**" && literal(node.right) !== null) {
        return apply("**n", literal(node.right), [left])[0];
      }
      return apply(node.binary, null, [left, evaluate(node.right, variables, functions)])[0];
    }
    if (!Object.prototype.hasOwnProperty.call(functions, node.call)) {
      domain("unknown function " + pythonRepr(node.call));
    }
    var argument = functions[node.call][0];
    if (node.args.length > (argument ? 2 : 1)) { domain(node.call + " with too many arguments"); }
    if (node.args.length === 2 && literal(node.args[1]) === null) {
      domain("a " + argument + " that is not a number");
    }
    var value = evaluate(node.args[0], variables, functions);
    var bound = node.args.length === 2 ? literal(node.args[1]) : functions[node.call][1];
    return apply(node.call, bound, [value])[0];
  }

  // -- Checker: chainrule.questions.Checker, step for step --
  function Checker(data) {
    this.data = data;
    this.restart();
  }
  Checker.prototype.restart = function () {
    this.sheet = {}; this.typed = {}; this.tries = {}; this.scored = {};
  };
  Checker.prototype.numbers = function (sheet) {
    // [each question's value worked from sheet with its rounding error, every number by name]
    var data = this.data, figures = data.figures, values = [], locals = [];
    data.nodes.forEach(function (node) {
      if (!node.row) { values.push({ value: node.data, error: 0 }); locals.push([]); return; }
      var inputs = node.inputs.map(function (i) { return values[i].value; }), replayed;
      try {
        replayed = apply(node.row[0], node.row[1], inputs);
      } catch (error) {
        replayed = [node.data, node.grads];
      }
      locals.push(replayed[1]);
      var error = 0;
      node.inputs.forEach(function (i, k) { error += Math.abs(replayed[1][k]) * values[i].error; });
      if (node.asked && node.name !== null && node.name in sheet) {
        values.push({ value: sheet[node.name], error: 0 });
      } else {
        var rounding = node.asked ? 0 : halfUnit(replayed[0], figures);
        values.push({ value: replayed[0], error: error + rounding });
      }
    });
    var carried = {};
    data.nodes.forEach(function (node, i) {
      if (node.asked && node.row) { carried[node.name] = values[i]; }
    });
    var grads = {};
    grads[data.root] = { value: 1, error: 0 };
    data.gradients.forEach(function (gradient) {
      var value = 0, error = 0;
      gradient.terms.forEach(function (term) {
        var sum = 0;
        term.paths.forEach(function (path) {
          var product = locals[path[0][0]][path[0][1]];
          for (var k = 1; k < path.length; k++) { product = product * locals[path[k][0]][path[k][1]]; }
          sum += product;
        });
        var local = term.symbol in sheet ? { value: sheet[term.symbol], error: 0 } :
          { value: sum, error: Math.abs(sum) === 0 || Math.abs(sum) === 1 ? 0 : halfUnit(sum, figures) };
        carried[term.symbol] = local;
        var upstream = grads[term.upstream] || { value: 0, error: 0 };
        value += upstream.value * local.value;
        error += Math.abs(local.value) * upstream.error + Math.abs(upstream.value) * local.error;
      });
      grads[gradient.node] = gradient.quantity in sheet ?
        { value: sheet[gradient.quantity], error: 0 } : { value: value, error: error };
      carried[gradient.quantity] = grads[gradient.node];
    });
    if (data.lr !== null) {
      data.parameters.forEach(function (parameter) {
        var grad = grads[parameter[0]] || { value: 0, error: 0 };
        carried["new " + parameter[1]] = { value: data.nodes[parameter[0]].data - data.lr * grad.value,
          error: data.lr * grad.error };
      });
    }
    var everything = {};
    data.nodes.forEach(function (node, i) { if (node.name !== null) { everything[node.name] = values[i].value; } });
    Object.keys(carried).forEach(function (name) { everything[name] = carried[name].value; });
    if (data.lr !== null) { everything.lr = data.lr; }
    return [carried, everything];
  };
  Checker.prototype.mistakes = function (quantity, numbers) {
    // [[name, value, hint]]: each catalogued mistake touching quantity, on these numbers
    var found = [];
    this.data.questions[quantity].mistakes.forEach(function (mistake) {
      try {
        var values = [];
        mistake[1].forEach(function (entry) {
          if (entry[0] === "c") { values.push(entry[1]); return; }
          if (entry[0] === "n") {
            if (!(entry[1] in numbers)) { domain("no number " + entry[1]); }
            values.push(numbers[entry[1]]);
            return;
          }
          values.push(apply(entry[1], entry[2], entry[3].map(function (i) { return values[i]; }))[0]);
        });
        found.push([mistake[0], values[values.length - 1], mistake[2]]);
      } catch (error) { /* a mistake that cannot be worked on these numbers does not apply */ }
    });
    return found;
  };
  Checker.prototype.shown = function (quantity, value) {
    var question = this.data.questions[quantity];
    value = value === undefined ? question.expected : value;
    var mistakes = this.mistakes(quantity, this.numbers(this.sheet)[1]).filter(function (m) {
      return !same(m[1], value);
    });
    var figures = this.data.figures;
    while (figures < 8 && mistakes.some(function (m) {
      return roundSignificant(m[1], figures) === roundSignificant(value, figures);
    })) { figures++; }
    return shownValue(value, figures);
  };
  Checker.prototype.check = function (quantity, text) {
    var question = this.data.questions[quantity], figures = this.data.figures, self = this;
    var verdict = function (status, answer, message, mistake) {
      return { status: status, answer: answer, message: message, mistake: mistake || null,
        finished: false };
    };
    if (!text.trim()) { return verdict("empty", null, "the value is " + this.shown(quantity)); }
    var answer = parseNumber(text);
    if (answer === null && question.formula) { return this.checkFormula(quantity, text.trim()); }
    if (answer === null) { return verdict("invalid", null, pythonRepr(text.trim()) + " is not a number"); }
    var worked = this.numbers(this.sheet), numbers = worked[1];
    var own = worked[0][quantity] || { value: question.expected, error: 0 };
    var earlier = {};
    [this.sheet, this.typed].forEach(function (known) {
      Object.keys(known).forEach(function (q) { if (q !== quantity) { earlier[q] = known[q]; } });
    });
    var typed = this.numbers(earlier)[0][quantity] || own;
    var candidates = [[question.expected, halfUnit(question.expected, figures)],
      [own.value, halfUnit(own.value, figures) + own.error],
      [typed.value, halfUnit(typed.value, figures) + typed.error]];
    var mistakes = this.mistakes(quantity, numbers).filter(function (m) {
      return !candidates.some(function (c) { return same(m[1], c[0]); });
    });
    for (var i = 0; i < candidates.length; i++) {
      var value = candidates[i][0], distance = Math.abs(answer - value);
      var near = distance <= candidates[i][1] * (1 + 1e-9) || answer === roundSignificant(value, figures);
      if (near && mistakes.every(function (m) { return distance < Math.abs(answer - m[1]); })) {
        return verdict("right", answer, "right: " + self.shown(quantity, value));
      }
    }
    if (mistakes.length) {
      var nearest = mistakes.reduce(function (best, m) {
        return Math.abs(answer - m[1]) < Math.abs(answer - best[1]) ? m : best;
      });
      var wrong = nearest[1], scale = own.value ? Math.abs(wrong / own.value) : 1;
      if (Math.abs(answer - wrong) <= (halfUnit(wrong, figures) + own.error * scale) * (1 + 1e-9)) {
        return verdict("wrong", answer, "not " + text.trim() + ": " + nearest[2], nearest[0]);
      }
    }
    return verdict("wrong", answer, "not " + text.trim());
  };
  Checker.prototype.checkFormula = function (quantity, text) {
    // chainrule.formulas.check_formula on the points worked out in Python
    var data = this.data, question = data.questions[quantity], formula = question.formula;
    var result = function (status, answer, message, mistake) {
      return { status: status, answer: answer, message: message, mistake: mistake || null,
        finished: false };
    };
    var tree, own;
    try {
      tree = parseFormula(text, data.notation);
      own = evaluate(tree, formula.own, data.functions);
    } catch (error) {
      return result("invalid", null, pythonRepr(text) +
        " is not a number or a formula of this graph: " + error.message);
    }
    var kept = [], typed = [];
    formula.points.forEach(function (point) {
      try { typed.push(evaluate(tree, point[0], data.functions)); } catch (error) { return; }
      kept.push(point);
    });
    var truths = kept.map(function (point) { return point[1]; });
    if (truths.every(function (t, i) { return close(t, typed[i]); })) {
      return result("right", own, "right: " + this.shown(quantity));
    }
    var numbers = this.numbers(this.sheet)[1];
    var mistakes = this.mistakes(quantity, numbers);
    for (var i = 0; i < mistakes.length; i++) {
      if (same(own, mistakes[i][1]) && !same(mistakes[i][1], question.expected)) {
        return result("wrong", own, "not " + text + ": " + mistakes[i][2], mistakes[i][0]);
      }
    }
    return result("wrong", own, "not " + text + ": " + difference(truths, typed, kept, formula.named));
  };
  function difference(truths, typed, points, named) {  // chainrule.formulas._difference
    var all = function (test) { return truths.every(function (t, i) { return test(t, typed[i], i); }); };
    if (all(function (t, s) { return close(-t, s); })) { return "your formula has the wrong sign"; }
    var first = points.length ? points[0][2] : [];
    var names = points.length ? Object.keys(points[0][0]) : [];
    for (var i = 0; i < first.length; i++) {
      if (!points.every(function (p) { return p[2].length > i; })) { break; }
      var values = points.map(function (p) { return p[2][i][1]; });
      var symbol = first[i][0], factor = named[symbol];
      if (factor === undefined) {
        var equal = names.filter(function (name) {
          return points.every(function (p, k) { return close(p[0][name], values[k]); });
        });
        factor = equal.length ? equal[0] + " (" + symbol + ")" : symbol;
      }
      if (all(function (t, s, k) { return close(t * values[k], s); })) {
        return "your formula has the factor " + factor + " twice, or one too many";
      }
      if (all(function (t, s, k) { return values[k] !== 0 && close(t / values[k], s); })) {
        return "your formula misses the factor " + factor;
      }
      for (var n = 0; n < names.length; n++) {
        if (all(function (t, s, k) {
          return values[k] !== 0 && close(t / values[k] * points[k][0][names[n]], s);
        })) {
          return "your formula has " + names[n] + " where the chain rule has the factor " + factor;
        }
      }
    }
    if (all(function (t, s) { return close(t * 2, s); })) { return "your formula has an extra factor 2"; }
    if (all(function (t, s) { return close(t * 0.5, s); })) { return "your formula has a factor ½ too many"; }
    return "your formula is not equal to it (compared at several points)";
  }
  Checker.prototype.answer = function (quantity, text) {
    // Checker.answer: a quit word ends, a non-number costs no try, Enter or the last wrong
    // try shows the value; a right answer or a shown value goes on the sheet.
    var data = this.data, question = data.questions[quantity];
    if (data.quit.indexOf(text.trim().toLowerCase()) >= 0) {
      return { status: "quit", answer: null, message: "quit", mistake: null, finished: false };
    }
    if (quantity in this.scored) { return this.check(quantity, text); }
    var verdict = this.check(quantity, text);
    if (verdict.status === "invalid") {
      verdict.message += "; type a number (or a formula), Enter to see the value, q to quit";
      return verdict;
    }
    if (verdict.status === "right") {
      this.sheet[quantity] = verdict.answer === null ? 0 : verdict.answer;
      this.scored[quantity] = true;
      verdict.finished = true;
      return verdict;
    }
    if (verdict.answer !== null) { this.typed[quantity] = verdict.answer; }
    var tries = this.tries[quantity] = (this.tries[quantity] || 0) + 1;
    if (verdict.status === "empty" || tries >= data.tries) {
      var shown = this.shown(quantity);
      this.sheet[quantity] = Number(shown);
      this.scored[quantity] = false;
      verdict.shown = shown;
      var message = "the value is " + shown + ": " + question.hint;
      verdict.message = verdict.status === "wrong" ? verdict.message + "; " + message : message;
      verdict.finished = true;
      return verdict;
    }
    verdict.message += " (try " + tries + " of " + data.tries + ")" +
      (verdict.mistake ? "" : ". Hint: " + question.hint);
    return verdict;
  };
  Checker.prototype.score = function () {
    var scored = this.scored, keys = Object.keys(scored);
    return [keys.filter(function (q) { return scored[q]; }).length, keys.length];
  };

  window.chainruleChecking = { Checker: Checker, OPS: OPS, apply: apply, agrees: agrees };
})();
