using System.Collections.Frozen;

namespace InventorySync.Xero.Client;

/// <summary>Xero's rules for attachments (developer.xero.com, Attachments): the file types it takes, 10 MB a file,
/// 10 files a document.</summary>
public static class XeroAttachmentRules
{
    public const int MaxBytes = 10 * 1024 * 1024;
    public const int MaxPerDocument = 10;

    private static readonly FrozenSet<string> Types = new[]
    {
        "7z", "bmp", "csv", "doc", "docx", "eml", "gif", "jpeg", "jpg", "keynote", "msg", "numbers", "odf", "ods",
        "odt", "pages", "pdf", "png", "ppt", "pptx", "rar", "rtf", "tif", "tiff", "txt", "xls", "xlsx", "zip",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The file's type as Xero reads it: its extension, without the dot.</summary>
    public static string TypeOf(string fileName) => Path.GetExtension(fileName).TrimStart('.').ToLowerInvariant();

    public static bool Takes(string fileName) => Types.Contains(TypeOf(fileName));
}
