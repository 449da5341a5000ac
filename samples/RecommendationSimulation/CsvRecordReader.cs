using System.Text;

namespace PromptKit.Samples.Recommendation;

/// <summary>Reads RFC 4180 records (comma-separated, fields optionally quoted with <c>"</c>, <c>""</c> for a quote inside, line breaks allowed inside quotes; LF or CRLF line ends).</summary>
internal sealed class CsvRecordReader(TextReader reader, string path)
{
    private readonly StringBuilder _field = new();
    private int _line = 1;

    /// <summary>Gets the line number (1-based) on which the last record read starts.</summary>
    public int RecordLine { get; private set; }

    /// <summary>Reads the next record into <paramref name="fields"/>; returns <see langword="false"/> at the end of the input.</summary>
    /// <exception cref="InvalidDataException">The record breaks the quoting rules.</exception>
    public bool TryRead(List<string> fields)
    {
        fields.Clear();
        if (reader.Peek() < 0)
        {
            return false;
        }

        RecordLine = _line;
        _field.Clear();
        bool quoted = false;
        bool afterQuote = false;
        while (true)
        {
            int c = reader.Read();
            if (quoted)
            {
                if (c < 0)
                {
                    throw Error(RecordLine, "a quoted field is never closed (a '\"' is missing)");
                }

                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        _field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                        afterQuote = true;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        _line++;
                    }

                    _field.Append((char)c);
                }

                continue;
            }

            if (c is < 0 or '\n' or '\r')
            {
                if (c == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }

                if (c >= 0)
                {
                    _line++;
                }

                fields.Add(_field.ToString());
                return true;
            }

            if (c == ',')
            {
                fields.Add(_field.ToString());
                _field.Clear();
                afterQuote = false;
                continue;
            }

            if (afterQuote)
            {
                throw Error(RecordLine, $"the character '{(char)c}' follows a closing quote; a quoted field must end at a comma or the end of the line");
            }

            if (c == '"')
            {
                if (_field.Length == 0)
                {
                    quoted = true;
                    continue;
                }

                throw Error(RecordLine, "a '\"' appears inside an unquoted field; quote the whole field and double the quotes inside it");
            }

            _field.Append((char)c);
        }
    }

    /// <summary>Creates the exception for a problem on <paramref name="line"/>.</summary>
    public InvalidDataException Error(int line, string problem) =>
        new($"{path}, line {line}: {problem}.");
}
