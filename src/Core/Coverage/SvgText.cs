using System.Globalization;
using System.Text;

namespace Blofin.Backfill.Coverage;

/// <summary>Writes SVG markup as pure ASCII: text is escaped for XML, characters outside ASCII become
/// character references, and characters XML cannot carry become U+FFFD, so the output is well-formed
/// whatever the text and whatever the writer's encoding.</summary>
internal sealed class SvgText(TextWriter writer)
{
    /// <summary>Writes markup as it is; the caller guarantees it is well-formed ASCII.</summary>
    public void Raw(string markup) => writer.Write(markup);

    /// <summary>Writes character data or an attribute value, escaped.</summary>
    public void Text(string text) => writer.Write(Escape(text));

    public void Number(int value)
    {
        Span<char> digits = stackalloc char[11];
        value.TryFormat(digits, out var length, provider: CultureInfo.InvariantCulture);
        writer.Write(digits[..length]);
    }

    public static string Escape(string text)
    {
        if (!NeedsEscaping(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '"': builder.Append("&quot;"); break;
                case '\'': builder.Append("&apos;"); break;
                case '\t' or '\n' or '\r': builder.Append(CultureInfo.InvariantCulture, $"&#x{(int)c:X};"); break;
                case < ' ' or '\uFFFE' or '\uFFFF': builder.Append("&#xFFFD;"); break;
                case < '\u007F': builder.Append(c); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"&#x{char.ConvertToUtf32(c, text[i + 1]):X};");
                        i++;
                    }
                    else if (char.IsSurrogate(c))
                    {
                        builder.Append("&#xFFFD;");
                    }
                    else
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"&#x{(int)c:X};");
                    }

                    break;
            }
        }

        return builder.ToString();
    }

    private static bool NeedsEscaping(string text)
    {
        foreach (var c in text)
        {
            if (c is < ' ' or >= '\u007F' or '&' or '<' or '>' or '"' or '\'')
            {
                return true;
            }
        }

        return false;
    }
}
