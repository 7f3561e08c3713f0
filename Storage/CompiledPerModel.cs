using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace InventorySync.Storage;

/// <summary>
/// An EF compiled query (no expression-tree work on each call, for queries every request makes), compiled once for
/// each model it runs against: EF refuses to run a compiled query on another model than its first, and one process
/// can hold both the SQLite and the PostgreSQL model (the tests do).
/// </summary>
public sealed class CompiledPerModel<TQuery>(Func<TQuery> compile) where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = [];

    public TQuery For(DbContext db) => _byModel.GetValue(db.Model, _ => compile());
}
