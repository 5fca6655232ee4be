using System.CommandLine;
using System.CommandLine.Parsing;
using Toolkit.Core;

namespace Toolkit.Cli;

/// <summary>
/// Command-line mistakes in the user's words: an unknown verb or option with the closest known one ("did you mean"),
/// a value that does not parse with the type it should have ("an integer", not <c>System.Int32</c>).
/// </summary>
/// <remarks>
/// Written here rather than with System.CommandLine's own typo corrections because those print the parser's
/// messages (with .NET type names) on its own layout; this keeps every usage error one <c>toolkit: …</c> line.
/// </remarks>
internal static class UsageErrors
{
    /// <summary>One line per mistake in <paramref name="parse"/>.</summary>
    public static IReadOnlyList<string> Describe(ParseResult parse)
    {
        var lines = new List<string>();
        var command = parse.CommandResult.Command;
        string name = CommandPath(parse.CommandResult);
        string about = name == "toolkit" ? "" : name["toolkit ".Length..] + ": ";
        bool afterUnknownOption = false;
        foreach (string token in parse.UnmatchedTokens)
        {
            if (token.StartsWith('-') && token.Length > 1)
            {
                var known = OptionNames(parse.CommandResult).ToList();
                string? guess = Spelling.Closest(token.TrimStart('-'), known.Select(n => n.TrimStart('-'))) is { } g ? known.First(n => n.TrimStart('-') == g) : null;
                lines.Add(guess is null
                    ? $"{about}unknown option '{token}' (toolkit {Usage(name)} --help lists its options)"
                    : $"{about}unknown option '{token}'; did you mean {guess}?");
                afterUnknownOption = true;
                continue;
            }
            if (afterUnknownOption)
            {
                // Most likely the unknown option's value: already reported with it.
                afterUnknownOption = false;
                continue;
            }
            var verbs = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
            if (verbs.Count > 0)
            {
                lines.Add(Spelling.Closest(token, verbs) is { } verb
                    ? $"{about}unknown command '{token}'; did you mean '{verb}'?"
                    : $"{about}unknown command '{token}' (the commands are {string.Join(", ", verbs)})");
                break; // what follows an unknown verb is that verb's arguments
            }
            if (Follows(parse, token, "--json") && command.Options.Any(o => o.Name == "--json-out"))
                lines.Add($"{about}unexpected argument '{token}': --json prints the JSON on standard output; write a file with --json-out {token}");
            else
                lines.Add($"{about}unexpected argument '{token}' (toolkit {Usage(name)} --help shows what it takes)");
        }
        foreach (var error in parse.Errors)
        {
            if (error.Message.StartsWith("Unrecognized command or argument", StringComparison.Ordinal))
                continue; // described above, token by token
            if (error.Message.StartsWith("Required command was not provided", StringComparison.Ordinal))
            {
                if (lines.Count == 0) // else an unknown verb was given: that line says more
                    lines.Add($"{about}a command is needed: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}");
                continue;
            }
            if (error.SymbolResult is OptionResult { Option: var option } result && error.Message.StartsWith("Cannot parse argument", StringComparison.Ordinal))
            {
                string value = string.Join(" ", result.Tokens.Select(t => t.Value));
                lines.Add($"{option.Name}: '{value}' is not {Expected(option.ValueType)}");
                continue;
            }
            if (error.SymbolResult is ArgumentResult { Argument: var argument } argResult && error.Message.StartsWith("Cannot parse argument", StringComparison.Ordinal))
            {
                lines.Add($"{argument.Name}: '{string.Join(" ", argResult.Tokens.Select(t => t.Value))}' is not {Expected(argument.ValueType)}");
                continue;
            }
            lines.Add(error.Message.TrimEnd('.'));
        }
        return lines;
    }

    /// <summary>A .NET value type in the words of a command line (the same words as the config errors use).</summary>
    public static string Expected(Type type) =>
        Toolkit.Core.Json.JsonConfig.Expected(Nullable.GetUnderlyingType(type) ?? type, System.Text.Json.JsonSerializerOptions.Default); // an absent option is null already

    private static bool Follows(ParseResult parse, string token, string previous)
    {
        var tokens = parse.Tokens;
        for (int i = 1; i < tokens.Count; i++)
        {
            if (tokens[i].Value == token)
                return tokens[i - 1].Value == previous;
        }
        return false;
    }

    private static IEnumerable<string> OptionNames(CommandResult result)
    {
        for (SymbolResult? r = result; r is CommandResult c; r = c.Parent)
        {
            foreach (var option in c.Command.Options)
            {
                if (r != result && !option.Recursive)
                    continue;
                yield return option.Name;
                foreach (string alias in option.Aliases)
                    yield return alias;
            }
        }
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c; r = c.Parent)
            names.Insert(0, c.Parent is null ? "toolkit" : c.Command.Name);
        return string.Join(" ", names);
    }

    private static string Usage(string commandPath) => commandPath == "toolkit" ? "" : commandPath["toolkit ".Length..];
}
