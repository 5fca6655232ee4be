using System.Text;

namespace Toolkit.Trainers.Weights;

/// <summary>
/// Reads a pickle's opcodes without running it and lists every Python callable it names (GLOBAL, STACK_GLOBAL, INST,
/// extension codes), so a checkpoint that asks for anything but tensors and plain containers is refused before it is
/// unpickled, as <c>torch.load(weights_only=True)</c> refuses it. Hand-written: neither PyBridge nor Razorvine.Pickle
/// exposes the globals a pickle references before it builds objects.
/// </summary>
internal static class PickleGuard
{
    /// <summary>What a state-dict pickle may name: tensor rebuilding, storages, ordered dicts.</summary>
    private static readonly HashSet<string> Allowed =
    [
        "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
        "collections.OrderedDict",
        "torch.FloatStorage", "torch.DoubleStorage", "torch.HalfStorage", "torch.BFloat16Storage", "torch.LongStorage",
        "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage", "torch.ByteStorage", "torch.BoolStorage",
    ];

    /// <summary>The callables <paramref name="pickle"/> names that a state dict does not need (empty when it is safe to read).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed pickle (the message says where).</exception>
    public static IReadOnlyList<string> Disallowed(byte[] pickle)
    {
        var named = new List<string>();
        var strings = new List<string?>();          // what each push left on the stack, as far as strings matter
        var memo = new Dictionary<long, string?>();
        int i = 0;
        string? Top() => strings.Count > 0 ? strings[^1] : null;
        void Push(string? s) => strings.Add(s);
        string Line()
        {
            int end = Array.IndexOf(pickle, (byte)'\n', i);
            if (end < 0)
                throw Bad(i, "a text argument has no end of line");
            var s = Encoding.Latin1.GetString(pickle, i, end - i);
            i = end + 1;
            return s;
        }
        long Bytes(int n)
        {
            if (i + n > pickle.Length)
                throw Bad(i, "the pickle ends inside an argument");
            long v = 0;
            for (int k = n - 1; k >= 0; k--)
                v = (v << 8) | pickle[i + k];
            i += n;
            return v;
        }
        string Text(long length)
        {
            if (length < 0 || i + length > pickle.Length)
                throw Bad(i, "the pickle ends inside a string");
            var s = Encoding.UTF8.GetString(pickle, i, (int)length);
            i += (int)length;
            return s;
        }
        void Skip(long length)
        {
            if (length < 0 || i + length > pickle.Length)
                throw Bad(i, "the pickle ends inside a value");
            i += (int)length;
        }

        while (i < pickle.Length)
        {
            int at = i;
            byte op = pickle[i++];
            switch (op)
            {
                case (byte)'.':
                    return [.. named.Where(n => !Allowed.Contains(n)).Distinct()];
                case (byte)'c' or (byte)'i':
                {
                    string module = Line(), name = Line();
                    named.Add($"{module}.{name}");
                    Push(null);
                    break;
                }
                case 0x93: // STACK_GLOBAL
                {
                    string? name = strings.Count > 0 ? strings[^1] : null;
                    string? module = strings.Count > 1 ? strings[^2] : null;
                    named.Add(module is null || name is null ? "<a callable whose name is computed at load time>" : $"{module}.{name}");
                    break;
                }
                case 0x82 or 0x83 or 0x84: // EXT1/2/4: callables from the copyreg extension registry
                    Skip(op == 0x82 ? 1 : op == 0x83 ? 2 : 4);
                    named.Add("<a copyreg extension code>");
                    break;
                case (byte)'X': Push(Text(Bytes(4))); break;          // BINUNICODE
                case 0x8c: Push(Text(Bytes(1))); break;               // SHORT_BINUNICODE
                case 0x8d: Push(Text(Bytes(8))); break;               // BINUNICODE8
                case (byte)'V': Push(Line()); break;                  // UNICODE
                case (byte)'S': Push(Line().Trim('\'', '"')); break;  // STRING
                case (byte)'T': Push(Text(Bytes(4))); break;          // BINSTRING
                case (byte)'U': Push(Text(Bytes(1))); break;          // SHORT_BINSTRING
                case (byte)'q': memo[Bytes(1)] = Top(); break;        // BINPUT
                case (byte)'r': memo[Bytes(4)] = Top(); break;        // LONG_BINPUT
                case (byte)'p': memo[long.Parse(Line(), System.Globalization.CultureInfo.InvariantCulture)] = Top(); break;
                case 0x94: memo[memo.Count] = Top(); break;           // MEMOIZE
                case (byte)'h': Push(memo.GetValueOrDefault(Bytes(1))); break;
                case (byte)'j': Push(memo.GetValueOrDefault(Bytes(4))); break;
                case (byte)'g': Push(memo.GetValueOrDefault(long.Parse(Line(), System.Globalization.CultureInfo.InvariantCulture))); break;
                case (byte)'F' or (byte)'I' or (byte)'L' or (byte)'P': Line(); Push(null); break;
                case (byte)'J': Skip(4); Push(null); break;
                case (byte)'K': Skip(1); Push(null); break;
                case (byte)'M': Skip(2); Push(null); break;
                case (byte)'G': Skip(8); Push(null); break;
                case 0x8a: Skip(Bytes(1)); Push(null); break;         // LONG1
                case 0x8b: Skip(Bytes(4)); Push(null); break;         // LONG4
                case (byte)'B': Skip(Bytes(4)); Push(null); break;    // BINBYTES
                case (byte)'C': Skip(Bytes(1)); Push(null); break;    // SHORT_BINBYTES
                case 0x8e or 0x96: Skip(Bytes(8)); Push(null); break; // BINBYTES8, BYTEARRAY8
                case 0x80: Skip(1); break;                            // PROTO
                case 0x95: Skip(8); break;                            // FRAME
                case (byte)'(' or (byte)'0' or (byte)'1' or (byte)'2' or (byte)'N' or (byte)'Q' or (byte)'R' or (byte)'a'
                    or (byte)'b' or (byte)'d' or (byte)'}' or (byte)'e' or (byte)'l' or (byte)']' or (byte)'o' or (byte)'s'
                    or (byte)'t' or (byte)')' or (byte)'u' or 0x81 or 0x85 or 0x86 or 0x87 or 0x88 or 0x89 or 0x8f or 0x90
                    or 0x91 or 0x92 or 0x97 or 0x98:
                    Push(null);
                    break;
                default:
                    throw Bad(at, $"unknown opcode 0x{op:x2}");
            }
        }
        throw Bad(i, "the pickle has no STOP opcode (truncated)");
    }

    private static InvalidDataException Bad(int offset, string what) =>
        new($"not a well-formed pickle at byte {offset}: {what}");
}
