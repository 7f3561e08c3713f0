using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InventorySync.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace InventorySync.Bench;

/// <summary>
/// Sale ingest through the REST API (single POSTs from N concurrent clients, and the batch endpoint) against a
/// baseline of the same rows inserted straight through the database driver, N connections, one transaction a sale.
/// </summary>
public static class IngestBenchmark
{
    private sealed record Row(string Database, string Path, double PerSecond, double Ratio);

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var rows = new List<Row>();
        rows.AddRange(await RunOnAsync(options, "SQLite", () => Task.FromResult<(string, Func<Task>)>((
            $"Data Source={Path.Combine(Path.GetTempPath(), $"inventorysync-bench-{Guid.NewGuid():N}.db")}",
            () => Task.CompletedTask))));
        if (options.Postgres is { } server)
            rows.AddRange(await RunOnAsync(options, "PostgreSQL", () => NewPostgresDatabaseAsync(server)));
        else
            Console.WriteLine("PostgreSQL skipped: pass --postgres or set INVENTORYSYNC_TEST_POSTGRES (bench/run.sh does).");

        Console.WriteLine();
        Console.WriteLine($"Sale ingest, {options.Documents} sales (1 invoice, 2 lines each), " +
            $"{options.Clients} concurrent clients, measured after a warm-up round of each path:");
        Console.WriteLine($"| database   | path                                  | sales/s | vs raw insert |");
        Console.WriteLine($"|------------|---------------------------------------|--------:|--------------:|");
        foreach (var r in rows)
            Console.WriteLine($"| {r.Database,-10} | {r.Path,-37} | {r.PerSecond,7:F0} | {r.Ratio,12:P0} |");
        return 0;
    }

    private static async Task<List<Row>> RunOnAsync(BenchOptions options, string name, Func<Task<(string Connection, Func<Task> Drop)>> create)
    {
        var (database, drop) = await create();
        try
        {
            await using var silo = await SiloProcess.StartAsync(options.SiloPath, database);
            using var admin = Client(silo.Address, SiloProcess.AdminKey);
            var tenant = await PostAsync(admin, "/api/v1/tenants", new { name = "Bench Co" });
            var tenantId = (Guid)tenant["id"]!;
            var user = await PostAsync(admin, $"/api/v1/tenants/{tenantId}/users", new { name = "bench" });
            using var client = Client(silo.Address, (string)user["apiKey"]!);
            var contact = await PostAsync(client, $"/api/v1/tenants/{tenantId}/contacts", new { name = "Customer", isCustomer = true });
            var contactId = (Guid)contact["id"]!;
            var sales = $"/api/v1/tenants/{tenantId}/sales";

            // Every path runs a whole round before the measured one: the Silo's code is compiled in tiers, and its
            // optimised tier only takes over after thousands of requests on two busy cores; the figures are for a
            // Silo that has been up a while, not for its first minute.
            var (api, batch, raw) = (TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
            var batches = options.Documents / options.BatchSize;
            foreach (var round in new[] { "WARM", "RUN" })
            {
                api = await RunConcurrentlyAsync(options.Documents, options.Clients,
                    i => PostAsync(client, sales, Sale(contactId, $"{round}-API-{i}")));
                batch = await RunConcurrentlyAsync(batches, options.Clients, b => PostAsync(client, $"{sales}/batch",
                    new
                    {
                        items = Enumerable.Range(0, options.BatchSize)
                            .Select(i => Sale(contactId, $"{round}-BATCH-{b}-{i}")).ToArray(),
                    }));
                raw = await RunConcurrentlyAsync(options.Documents, options.Clients,
                    RawInserter(database, tenantId, contactId, round));
            }

            var rawRate = options.Documents / raw.TotalSeconds;
            return
            [
                new(name, "raw insert (driver, baseline)", rawRate, 1),
                new(name, "POST /sales (one sale a request)", options.Documents / api.TotalSeconds, options.Documents / api.TotalSeconds / rawRate),
                new(name, $"POST /sales/batch ({options.BatchSize} a request)", batches * options.BatchSize / batch.TotalSeconds,
                    batches * options.BatchSize / batch.TotalSeconds / rawRate),
            ];
        }
        finally
        {
            await drop();
        }
    }

    private static object Sale(Guid contactId, string number) => new
    {
        contactId,
        reference = number,
        invoices = new[]
        {
            new
            {
                invoiceNumber = number, date = "2026-11-02", currencyCode = "USD",
                lines = new[]
                {
                    new { description = "Widget", quantity = 3m, unitAmount = 9.99m, taxRate = 10m },
                    new { description = "Gadget", quantity = 1m, unitAmount = 24.50m, taxRate = 10m },
                },
            },
        },
    };

    /// <summary>The rows one API sale makes (order, invoice, two lines), written with plain parameterised INSERTs.</summary>
    private static Func<int, Task> RawInserter(string database, Guid tenantId, Guid contactId, string round)
    {
        var postgres = new StorageOptions { Database = database }.Provider == DatabaseProvider.Postgres;
        object Value(object v) => postgres ? v : v switch
        {
            Guid g => g.ToString().ToUpperInvariant(),
            DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            decimal m => m.ToString(CultureInfo.InvariantCulture),
            _ => v,
        };
        return async i =>
        {
            await using DbConnection connection = postgres ? new NpgsqlConnection(database) : new SqliteConnection(database);
            await connection.OpenAsync();
            if (!postgres)
            {
                // The driver's best setting for concurrent writers: SQLite's own busy handler.
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA busy_timeout = 30000;";
                await pragma.ExecuteNonQueryAsync();
            }
            await using var tx = await connection.BeginTransactionAsync();
            var now = DateTime.UtcNow;
            var orderId = Guid.CreateVersion7();
            var invoiceId = Guid.CreateVersion7();
            async Task Insert(string sql, params object?[] values)
            {
                await using var command = connection.CreateCommand();
                command.Transaction = tx;
                command.CommandText = sql;
                for (var p = 0; p < values.Length; p++)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = $"@p{p}";
                    parameter.Value = values[p] is { } v ? Value(v) : DBNull.Value;
                    command.Parameters.Add(parameter);
                }
                await command.ExecuteNonQueryAsync();
            }
            await Insert("INSERT INTO orders (id, tenant_id, kind, contact_id, reference, created_at, updated_at) VALUES (@p0, @p1, 'Sale', @p2, @p3, @p4, @p4)",
                orderId, tenantId, contactId, $"{round}-RAW-{i}", now);
            await Insert("""
                INSERT INTO invoices (id, order_id, invoice_number, due_date, sync_attempts, sync_status, sync_pending_since, tenant_id, version,
                    created_at, updated_at, kind, reference, date, currency_code, line_amount_types, status, sub_total, total_tax, total, amount_paid)
                VALUES (@p0, @p1, @p2, NULL, 0, 'Pending', @p3, @p4, 1, @p3, @p3, 'Sale', NULL, @p5, 'USD', 'Exclusive', 'Draft', @p6, @p7, @p8, @p9)
                """, invoiceId, orderId, $"{round}-RAW-{i}", now, tenantId, new DateOnly(2026, 11, 2),
                54.47m, 5.45m, 59.92m, 0.00m);
            foreach (var (line, description, quantity, unit, amount, tax) in new[] { (1, "Widget", 3m, 9.99m, 29.97m, 3.00m), (2, "Gadget", 1m, 24.50m, 24.50m, 2.45m) })
                await Insert("""
                    INSERT INTO invoice_lines (document_id, line_number, description, quantity, unit_amount, tax_rate, line_amount, tax_amount)
                    VALUES (@p0, @p1, @p2, @p3, @p4, 10, @p5, @p6)
                    """, invoiceId, line, description, quantity, unit, amount, tax);
            await tx.CommitAsync();
        };
    }

    private static async Task<TimeSpan> RunConcurrentlyAsync(int count, int workers, Func<int, Task> work)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
                await work(i);
        })));
        return clock.Elapsed;
    }

    private static HttpClient Client(Uri address, string key)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<JsonNode> PostAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    internal static async Task<(string, Func<Task>)> NewPostgresDatabaseAsync(string server)
    {
        var name = $"bench_{Guid.NewGuid():N}";
        async Task Execute(string sql)
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
        await Execute($"CREATE DATABASE {name}");
        return (new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await Execute($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        });
    }
}
