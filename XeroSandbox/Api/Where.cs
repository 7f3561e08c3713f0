using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using InventorySync.Xero.Models;

namespace InventorySync.XeroSandbox.Api;

/// <summary>A where clause the emulator cannot apply, with the part it did not understand.</summary>
public sealed class WhereException(string message) : Exception(message);

/// <summary>
/// Xero's where filters as they are commonly written: <c>Field op value</c> with <c>== != &lt; &gt; &lt;= &gt;=</c> on
/// strings, numbers, booleans, <c>null</c>, <c>DateTime(y,m,d[,h,m,s])</c> and <c>Guid("...")</c>;
/// <c>Field.StartsWith("x")</c>, <c>.EndsWith</c>, <c>.Contains</c>; <c>AND</c>/<c>&amp;&amp;</c>,
/// <c>OR</c>/<c>||</c>, <c>!</c> and parentheses. Fields are checked against the document's model, so a misspelt
/// field is refused rather than matching nothing. Text compares without regard to case.
/// </summary>
public sealed partial class Where
{
    private readonly string _text;
    private readonly Type _model;
    private readonly List<(string Text, int At)> _tokens;
    private int _next;

    private Where(string text, Type model)
    {
        _text = text;
        _model = model;
        _tokens = Tokens().Matches(text).Select(m => (m.Value, m.Index)).ToList();
        // Whatever lies between the tokens must be white space: anything else is a part not understood.
        var end = 0;
        foreach (var (token, at) in _tokens.Append((string.Empty, text.Length)))
        {
            if (text[end..at].Trim() is { Length: > 0 } gap) throw Unknown(gap);
            end = at + token.Length;
        }
    }

    /// <summary>The clause as a test of a document's JSON; throws <see cref="WhereException"/>.</summary>
    public static Func<JsonNode, bool> Parse(string text, Type model)
    {
        var parser = new Where(text, model);
        var test = parser.Or();
        if (parser._next < parser._tokens.Count) throw parser.NotUnderstood();
        return test;
    }

    /// <summary>The value at a dotted path of a document's JSON, checked against the model's properties.</summary>
    public static Func<JsonNode, JsonNode?> Path(string dotted, Type model)
    {
        var names = dotted.Split('.');
        var type = model;
        foreach (var name in names)
        {
            var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)
                           ?? throw new WhereException($"{model.Name} has no field '{dotted}'.");
            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        }
        return node =>
        {
            var value = node;
            foreach (var name in names) value = value is JsonObject o ? Field(o, name) : null;
            return value;
        };
    }

    /// <summary>Orders JSON values as Xero does: numbers by value, dates by time, text regardless of case.</summary>
    public static int Compare(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null) return (a is null ? 0 : 1) - (b is null ? 0 : 1);
        if (a is JsonValue va && b is JsonValue vb
            && va.TryGetValue<decimal>(out var x) && vb.TryGetValue<decimal>(out var y))
            return x.CompareTo(y);
        var (ta, tb) = (a.ToString(), b.ToString());
        if (XeroJson.ParseTimestamp(ta) is { } da && XeroJson.ParseTimestamp(tb) is { } db && ta.StartsWith("/Date("))
            return da.CompareTo(db);
        return string.Compare(ta, tb, StringComparison.OrdinalIgnoreCase);
    }

    private Func<JsonNode, bool> Or()
    {
        var left = And();
        while (Accept("OR", "||"))
        {
            var (l, r) = (left, And());
            left = n => l(n) || r(n);
        }
        return left;
    }

    private Func<JsonNode, bool> And()
    {
        var left = Unary();
        while (Accept("AND", "&&"))
        {
            var (l, r) = (left, Unary());
            left = n => l(n) && r(n);
        }
        return left;
    }

    private Func<JsonNode, bool> Unary()
    {
        if (Accept("!"))
        {
            var inner = Unary();
            return n => !inner(n);
        }
        if (Accept("("))
        {
            var inner = Or();
            Expect(")");
            return inner;
        }
        return Test();
    }

    /// <summary><c>Field op literal</c> or <c>Field.Method("text")</c>.</summary>
    private Func<JsonNode, bool> Test()
    {
        var field = new List<string> { Identifier() };
        while (Peek() == "." && _next + 1 < _tokens.Count && IsIdentifier(_tokens[_next + 1].Text))
        {
            if (_next + 2 < _tokens.Count && _tokens[_next + 2].Text == "(") break;
            _next++;
            field.Add(Identifier());
        }
        var value = Path(string.Join('.', field), _model);
        if (Accept("."))
        {
            Func<string, string, bool> test = Identifier() switch
            {
                "StartsWith" => (v, a) => v.StartsWith(a, StringComparison.OrdinalIgnoreCase),
                "EndsWith" => (v, a) => v.EndsWith(a, StringComparison.OrdinalIgnoreCase),
                "Contains" => (v, a) => v.Contains(a, StringComparison.OrdinalIgnoreCase),
                _ => throw NotUnderstood(back: 1),
            };
            Expect("(");
            var argument = StringLiteral();
            Expect(")");
            return n => value(n) is { } v && test(v.ToString(), argument);
        }
        var op = Next();
        if (op is not ("==" or "!=" or "<" or ">" or "<=" or ">=")) throw NotUnderstood(back: 1);
        var literal = Literal();
        return n =>
        {
            var actual = value(n);
            if (literal is null) return op == "==" ? actual is null : op == "!=" && actual is not null;
            if (actual is null) return op == "!=";
            var c = Compare(actual, literal);
            return op switch { "==" => c == 0, "!=" => c != 0, "<" => c < 0, ">" => c > 0, "<=" => c <= 0,
                _ => c >= 0 };
        };
    }

    private JsonNode? Literal()
    {
        var token = Peek();
        if (token is null) throw NotUnderstood();
        if (token.StartsWith('"')) return JsonValue.Create(StringLiteral());
        _next++;
        if (decimal.TryParse(token, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
            return JsonValue.Create(number);
        switch (token)
        {
            case "true" or "false":
                return JsonValue.Create(token == "true");
            case "null":
                return null;
            case "Guid":
                Expect("(");
                var text = StringLiteral();
                Expect(")");
                return Guid.TryParse(text,
                    out var id) ? JsonValue.Create(id.ToString()) : throw Unknown($"Guid(\"{text}\")");
            case "DateTime":
                Expect("(");
                var parts = new List<int> { Integer() };
                while (Accept(",")) parts.Add(Integer());
                Expect(")");
                if (parts.Count is not (3 or 6)) throw Unknown($"DateTime({string.Join(',', parts)})");
                var at = parts.Count == 3
                    ? new DateTime(parts[0], parts[1], parts[2], 0, 0, 0, DateTimeKind.Utc)
                    : new DateTime(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], DateTimeKind.Utc);
                return JsonValue.Create(XeroJson.Timestamp(at));
            default:
                throw NotUnderstood(back: 1);
        }
    }

    private string StringLiteral()
    {
        var token = Next();
        if (token is null || !token.StartsWith('"')) throw NotUnderstood(back: token is null ? 0 : 1);
        return token[1..^1].Replace("\\\"", "\"");
    }

    private int Integer() => int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
        ? value
        : throw NotUnderstood(back: 1);

    private string Identifier()
    {
        var token = Next();
        return token is not null && IsIdentifier(token) ? token : throw NotUnderstood(back: token is null ? 0 : 1);
    }

    private static bool IsIdentifier(string token) => char.IsLetter(token[0]) || token[0] == '_';

    private static JsonNode? Field(JsonObject node, string name) =>
        node.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private string? Peek() => _next < _tokens.Count ? _tokens[_next].Text : null;

    private string? Next() => _next < _tokens.Count ? _tokens[_next++].Text : null;

    private bool Accept(params string[] tokens)
    {
        if (Peek() is not { } token || !tokens.Contains(token, StringComparer.OrdinalIgnoreCase)) return false;
        _next++;
        return true;
    }

    private void Expect(string token)
    {
        if (!Accept(token)) throw NotUnderstood();
    }

    private WhereException NotUnderstood(int back = 0)
    {
        var at = _next - back;
        return at < _tokens.Count
            ? Unknown(_text[_tokens[at].At..])
            : new WhereException($"The where clause '{_text}' ends too early.");
    }

    private WhereException Unknown(string part) =>
        new($"The where clause '{_text}' is not understood at '{part}'.");

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|==|!=|<=|>=|&&|\|\||[<>!(),.]|-?\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Tokens();
}
