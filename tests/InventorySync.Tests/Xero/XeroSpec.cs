using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Serialization;

namespace InventorySync.Tests.Xero;

/// <summary>
/// Xero's official OpenAPI descriptions (../shared/xero), and a checker of JSON against their schemas: declared
/// property names only, types, enum values, uuids and required properties.
/// </summary>
public sealed class XeroSpec
{
    public static readonly Lazy<XeroSpec> Accounting = new(() => Load("xero_accounting.yaml"));
    public static readonly Lazy<XeroSpec> Identity = new(() => Load("xero-identity.yaml"));

    /// <summary>What Xero's answers carry beyond the schemas (seen in its own examples).</summary>
    private static readonly HashSet<string> EnvelopeExtras = ["Id", "Status", "ProviderName", "DateTimeUTC"];

    private readonly Dictionary<object, object> _root;

    private XeroSpec(Dictionary<object, object> root) => _root = root;

    private static XeroSpec Load(string file)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "shared", "xero"))) dir = dir.Parent;
        var path = Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("shared/xero was not found above the test binaries"), "shared", "xero", file);
        using var reader = new StreamReader(path);
        return new XeroSpec(new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(reader));
    }

    public Dictionary<object, object> Schema(string name) => Map(Map(Map(_root["components"])["schemas"])[name]);

    /// <summary>The schema of a request body or of a response, for a path as called (e.g. /Invoices/3f2...); null when the spec names none.</summary>
    public Dictionary<object, object>? OperationSchema(string method, string path, int? status)
    {
        var paths = Map(_root["paths"]);
        foreach (var (template, item) in paths.Select(kv => ((string)kv.Key, Map(kv.Value))))
        {
            if (!Regex.IsMatch(path, "^" + Regex.Replace(Regex.Escape(template), @"\\\{[^}]+}", "[^/]+") + "$", RegexOptions.IgnoreCase)) continue;
            if (!item.TryGetValue(method.ToLowerInvariant(), out var op)) continue;
            var operation = Map(op);
            object? holder;
            if (status is null) holder = operation.GetValueOrDefault("requestBody");
            else holder = Map(operation["responses"]).GetValueOrDefault(status.Value.ToString());
            if (holder is null) return null;
            var resolved = Resolve(Map(holder));
            if (!resolved.TryGetValue("content", out var content) || !Map(content).TryGetValue("application/json", out var json)) return null;
            return Map(Map(json)["schema"]);
        }
        return null;
    }

    public List<string> Check(JsonNode? node, Dictionary<object, object> schema, params string[] allowedExtras)
    {
        var errors = new List<string>();
        Check(node, schema, "$", errors, strict: true, root: true, allowedExtras);
        return errors;
    }

    private void Check(JsonNode? node, Dictionary<object, object> schema, string at, List<string> errors, bool strict, bool root, string[] extras)
    {
        if (schema.TryGetValue("$ref", out var reference))
        {
            // Xero's own ValidationException examples echo whole elements: an Element takes what it was sent.
            if (((string)reference).EndsWith("/Element", StringComparison.Ordinal)) strict = false;
            schema = Resolve(schema);
        }
        if (node is null) return;
        var type = schema.GetValueOrDefault("type") as string;
        if (schema.ContainsKey("properties") || type == "object")
        {
            if (node is not JsonObject obj) { errors.Add($"{at}: expected an object, got {node.GetValueKind()}"); return; }
            var properties = schema.TryGetValue("properties", out var p) ? Map(p) : [];
            foreach (var (name, value) in obj)
            {
                if (properties.TryGetValue(name, out var propertySchema)) Check(value, Map(propertySchema), $"{at}.{name}", errors, strict, false, extras);
                else if (strict && !(root && EnvelopeExtras.Contains(name)) && !extras.Contains(name)) errors.Add($"{at}.{name}: not a property Xero declares");
            }
            if (schema.TryGetValue("required", out var required))
                foreach (var name in ((List<object>)required).Cast<string>())
                    if (!obj.ContainsKey(name)) errors.Add($"{at}.{name}: required by Xero but missing");
            return;
        }
        switch (type)
        {
            case "array":
                if (node is not JsonArray array) { errors.Add($"{at}: expected an array"); return; }
                for (var i = 0; i < array.Count; i++) Check(array[i], Map(schema["items"]), $"{at}[{i}]", errors, strict, false, extras);
                return;
            case "string":
                if (node is not JsonValue sv || !sv.TryGetValue<string>(out var text)) { errors.Add($"{at}: expected a string, got {node.ToJsonString()}"); return; }
                if (schema.TryGetValue("enum", out var values) && !((List<object>)values).Cast<string>().Contains(text))
                    errors.Add($"{at}: '{text}' is not one of Xero's values");
                if (schema.GetValueOrDefault("format") as string == "uuid" && !Guid.TryParse(text, out _)) errors.Add($"{at}: '{text}' is not a uuid");
                return;
            case "number":
            case "integer":
                if (node is not JsonValue nv || !nv.TryGetValue<decimal>(out var number)) { errors.Add($"{at}: expected a number, got {node.ToJsonString()}"); return; }
                if (type == "integer" && number != Math.Truncate(number)) errors.Add($"{at}: expected an integer, got {number}");
                return;
            case "boolean":
                if (node is not JsonValue bv || !bv.TryGetValue<bool>(out _)) errors.Add($"{at}: expected true or false, got {node.ToJsonString()}");
                return;
        }
    }

    private Dictionary<object, object> Resolve(Dictionary<object, object> schema)
    {
        while (schema.TryGetValue("$ref", out var reference))
        {
            var node = (object)_root;
            foreach (var part in ((string)reference).TrimStart('#', '/').Split('/')) node = Map(node)[part];
            schema = Map(node);
        }
        return schema;
    }

    private static Dictionary<object, object> Map(object value) => (Dictionary<object, object>)value;
}
