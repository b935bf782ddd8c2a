using System.Globalization;

namespace PubSub.IntegrationTests.Faults;

/// <summary>The cases of the hostile corpus, one method per finding of issue 12.</summary>
internal static partial class HostileCorpus
{
    private const string Card = "4111111111111111", Email = "john.doe@example.com";

    private sealed partial class Builder
    {
        /// <summary>Where a fragment (JSON string text) can go in a structured event, each with what it reaches.</summary>
        private static IEnumerable<(string Where, string Body)> Placements(string f) =>
        [
            ("id", Event(id: f + "-" + Tag)),
            ("source", Event(source: "s-" + f)),
            ("type", Event(type: "hostile." + f)),
            ("type read by a route", Event(type: "order." + f)),
            ("subject", Event(subject: "s-" + f)),
            ("extension value", Event(members: "\"corpusext\":\"" + f + "\"")),
            ("data value read by a route", Event(data: "{\"x\":\"probe-" + f + "\"}")),
            ("data member name", Event(data: "{\"" + f + "\":1}")),
            ("nested data value", Event(data: "{\"a\":{\"b\":[{\"c\":\"" + f + "\"}]}}")),
            ("member name in an array's object", Event(data: "{\"a\":[{\"" + f + "\":\"v\"}]}")),
        ];

        // 1. Escaped lone surrogates: 500 and, when stored, a stream publisher that stops at the record.
        public void LoneSurrogates()
        {
            const string category = "1 lone surrogates";
            Add(category, "the issue's example: id \\ud800", Anyone(), """{"specversion":"1.0","id":"\ud800","source":"s","type":"t"}""", mutable: false);
            Add(category, "the issue's example: data.x \\udc00 (flag)", Demo, Event(data: """{"x":"\udc00"}"""));
            Add(category, "data.x \\udc00 (allow), read by a route", Open, Event(data: """{"x":"probe-\udc00"}"""));
            string[] fragments = [@"\ud800", @"\udc00", @"\uDBFF", @"\uDFFF", @"\ud800\ud800", @"\udc00\ud800", @"a\ud800b", @"\ud83d\u0041"];
            foreach (var f in fragments)
            {
                foreach (var (where, body) in Placements(f))
                {
                    Add(category, $"{f} in the {where}", Anyone(), body);
                }
            }

            Add(category, "binary: ce-subject is a percent-encoded surrogate (ED A0 80)", Anyone(), """{"n":1}""", Json,
                Binary(Tag, more: [H("ce-subject", "%ED%A0%80")]));
            Add(category, "binary: ce-id is a percent-encoded surrogate", Anyone(), """{"n":1}""", Json, Binary("%ED%B0%80-" + Tag));
            Add(category, "binary: data value \\ud800", Open, """{"x":"probe-\ud800"}""", Json, Binary(Tag));
            Add(category, "binary: data member name \\udfff", Demo, """{"\udfff":1}""", Json, Binary(Tag));
            Add(category, "plain JSON: data value \\ud800 (allow)", Open, """{"type":"hostile.plain","x":"probe-\ud800"}""", Json, [H("Idempotency-Key", Tag)]);
            Add(category, "plain JSON: type \\ud800", Anyone(), """{"type":"hostile.\ud800"}""", Json, [H("Idempotency-Key", Tag)]);
            Add(category, "plain JSON: member name \\udc00 (flag)", Demo, """{"type":"hostile.plain","\udc00":"v"}""", Json, [H("Idempotency-Key", Tag)]);
            Add(category, "batch: one event with \\ud800 in its data among valid ones", Open,
                "[" + Event(id: Tag + "-a") + "," + Event(id: Tag + "-b", data: """{"x":"probe-\ud800"}""") + "," + Event(id: Tag + "-c") + "]", CeBatch);
            Add(category, "data_base64 next to an id \\udc00", Anyone(), Event(id: @"\udc00-" + Tag, data: null, members: "\"data_base64\":\"aGk=\""));
            Add(category, "datacontenttype \\ud800", Anyone(), Event(members: "\"datacontenttype\":\"application/json\\ud800\""));
            Add(category, "dataschema \\ud800", Anyone(), Event(members: "\"dataschema\":\"https://x/\\ud800\""));
            Add(category, "time \\ud800", Anyone(), Event(members: "\"time\":\"2026-11-30T00:00:00Z\\ud800\""));
        }

        // Invalid escapes and bytes that are not UTF-8, in every place a string can be.
        public void InvalidEscapesAndBytes()
        {
            const string category = "json: invalid escapes and bytes";
            string[] escapes = [@"\x41", @"\u12", @"\u12G4", @"\U0041", @"\'", @"\a", @"\u", @"\ud800\u"];
            foreach (var e in escapes)
            {
                Add(category, $"{e} in the id", Anyone(), Event(id: e + "-" + Tag));
                Add(category, $"{e} in a data value", Anyone(), Event(data: "{\"x\":\"probe-" + e + "\"}"));
                Add(category, $"{e} in a data member name", Anyone(), Event(data: "{\"" + e + "\":1}"));
                Add(category, $"{e} in the subject", Anyone(), Event(subject: e));
            }

            Add(category, "CESU-8 surrogate bytes in the id", Anyone(), Event(id: HostileRequest.InvalidUtf8 + Tag));
            Add(category, "CESU-8 surrogate bytes in a data value (allow)", Open, Event(data: "{\"x\":\"probe-" + HostileRequest.InvalidUtf8 + "\"}"));
            Add(category, "CESU-8 surrogate bytes in a member name (flag)", Demo, Event(data: "{\"" + HostileRequest.InvalidUtf8 + "\":1}"));
            Add(category, "CESU-8 surrogate bytes in plain JSON", Open, "{\"type\":\"hostile.plain\",\"v\":\"" + HostileRequest.InvalidUtf8 + "\"}", Json);
            Add(category, "raw control character in a string", Anyone(), Event(data: "{\"x\":\"a\u0001b\"}"));
            Add(category, "raw tab and newline in the id", Anyone(), Event(id: "a\tb\n" + Tag));
        }

        // 10. Duplicate member names at every depth (validation, routing and subscribers may each read another one).
        public void DuplicateMembers()
        {
            const string category = "10 duplicate members";
            var top = new (string Name, string Body)[]
            {
                ("id twice", """{"specversion":"1.0","id":"§","id":"§-2","source":"s","type":"hostile.dup"}"""),
                ("type twice (a route reads one, the schema another)", """{"specversion":"1.0","id":"§","source":"s","type":"hostile.dup","type":"order.created","data":{"orderId":"x"}}"""),
                ("type twice, the routed one last", """{"specversion":"1.0","id":"§","source":"s","type":"order.created","type":"customer.created","data":{"orderId":1}}"""),
                ("source twice", """{"specversion":"1.0","id":"§","source":"a","source":"b","type":"hostile.dup"}"""),
                ("subject twice", """{"specversion":"1.0","id":"§","source":"s","type":"hostile.dup","subject":"a","subject":"b"}"""),
                ("specversion twice", """{"specversion":"1.0","specversion":"0.3","id":"§","source":"s","type":"hostile.dup"}"""),
                ("data twice", """{"specversion":"1.0","id":"§","source":"s","type":"order.created","data":{"orderId":1},"data":{"orderId":"one"}}"""),
                ("data and data_base64", """{"specversion":"1.0","id":"§","source":"s","type":"hostile.dup","data":{"n":1},"data_base64":"aGk="}"""),
                ("extension twice", """{"specversion":"1.0","id":"§","source":"s","type":"hostile.dup","corpusext":"a","corpusext":"b"}"""),
                ("id and an escaped id", """{"specversion":"1.0","id":"§","\u0069d":"§-escaped","source":"s","type":"hostile.dup"}"""),
                ("type and an escaped type", """{"specversion":"1.0","id":"§","source":"s","type":"hostile.dup","\u0074ype":"order.created","data":{"orderId":1}}"""),
                ("datacontenttype twice", """{"specversion":"1.0","id":"§","source":"s","type":"hostile.dup","datacontenttype":"application/json","datacontenttype":"text/plain","data":{"n":1}}"""),
            };
            foreach (var (name, body) in top)
            {
                Add(category, name, Anyone(), body);
            }

            var data = new (string Name, string Data, string Type, bool Scanning)[]
            {
                ("orderId twice (the schema checks one)", """{"orderId":1,"orderId":"one"}""", "order.created", false),
                ("the routed data.x twice", """{"x":"probe-a","x":"other"}""", "hostile.dup", false),
                ("depth 3", """{"a":{"b":{"c":1,"c":2}}}""", "hostile.dup", false),
                ("depth 10", """{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"k":1,"k":2}}}}}}}}}}""", "hostile.dup", false),
                ("in an array's object", """{"a":[{"x":1},{"x":1,"x":2}]}""", "hostile.dup", false),
                ("in the same-array route's objects", """{"a":[{"x":1,"y":2,"z":0,"z":3}]}""", "hostile.dup", false),
                ("escaped-equal names", """{"k":1,"\u006b":2}""", "hostile.dup", false),
                ("names equal after NFC", "{\"caf\u00e9\":1,\"cafe\u0301\":2}", "hostile.dup", false),
                ("a card hidden by a duplicate", """{"n":"4111111111111111","n":"safe"}""", "hostile.dup", true),
                ("a card hidden by an escaped duplicate", """{"n":"safe","\u006e":"4111111111111111"}""", "hostile.dup", true),
                ("an e-mail hidden in a nested duplicate", """{"a":{"m":"john.doe@example.com","m":"x"}}""", "hostile.dup", true),
                ("an empty name twice", """{"":1,"":2}""", "hostile.dup", false),
            };
            foreach (var (name, json, type, scanning) in data)
            {
                Add(category, "data: " + name, scanning ? Scanning() : Anyone(), Event(type: type, data: json));
            }

            Add(category, "plain JSON: type twice", Anyone(), """{"type":"hostile.plain","type":"order.created","orderId":"x"}""", Json, [H("Idempotency-Key", Tag)]);
            Add(category, "plain JSON: a card hidden by a duplicate", Scanning(), """{"type":"hostile.plain","n":"4111111111111111","n":"x"}""", Json, [H("Idempotency-Key", Tag)]);
            Add(category, "binary: data with a duplicate", Anyone(), """{"k":1,"k":2}""", Json, Binary(Tag));
            Add(category, "batch: one id twice in a batch", Anyone(), "[" + Event(id: Tag) + "," + Event(id: Tag, data: """{"n":2}""") + "]", CeBatch);
        }

        // Deep nesting around the 64-level limit.
        public void DeepNesting()
        {
            const string category = "json: deep nesting";
            foreach (var depth in new[] { 60, 62, 63, 64, 65, 66, 100, 1000 })
            {
                Add(category, $"data objects {depth} deep", Anyone(),
                    Event(data: string.Concat(Enumerable.Repeat("{\"d\":", depth)) + "1" + new string('}', depth)));
                Add(category, $"data arrays {depth} deep", Anyone(), Event(data: new string('[', depth) + "1" + new string(']', depth)));
            }

            Add(category, "plain JSON 64 deep", Anyone(), "{\"type\":\"hostile.plain\",\"d\":" + string.Concat(Enumerable.Repeat("{\"d\":", 62)) + "1" + new string('}', 63), Json);
            Add(category, "the same-array route's object 60 deep inside data.a", Open,
                Event(data: "{\"a\":[{\"x\":1,\"y\":2,\"z\":" + string.Concat(Enumerable.Repeat("[", 55)) + "3" + new string(']', 55) + "}]}"));
        }

        // 2. Arrays near and over the limit, and the same-array routing bomb.
        public void ArraysAndRouting()
        {
            const string category = "2 arrays and routing";
            foreach (var n in new[] { MaxArrayElements - 1, MaxArrayElements, MaxArrayElements + 1, 5000, 20000 })
            {
                Add(category, $"one array of {n} numbers", Anyone(), Event(data: "{\"v\":[" + string.Join(",", Enumerable.Repeat("1", n)) + "]}"));
            }

            Add(category, "two arrays making 4,096", Anyone(), Event(data: "{\"a\":[" + Ones(2048) + "],\"b\":[" + Ones(2048) + "]}"));
            Add(category, "two arrays making 4,097", Anyone(), Event(data: "{\"a\":[" + Ones(2048) + "],\"b\":[" + Ones(2049) + "]}"));
            Add(category, "63 arrays of 64 in an array (4,095 elements)", Anyone(), Event(data: "{\"m\":[" + string.Join(",", Enumerable.Repeat("[" + Ones(64) + "]", 63)) + "]}"));
            Add(category, "64 arrays of 64 in an array (4,160 elements)", Anyone(), Event(data: "{\"m\":[" + string.Join(",", Enumerable.Repeat("[" + Ones(64) + "]", 64)) + "]}"));
            Add(category, "4,097 elements in an extension-free plain JSON body", Anyone(), "{\"type\":\"hostile.plain\",\"v\":[" + Ones(MaxArrayElements + 1) + "]}", Json);
            Add(category, "binary: 4,097 elements", Anyone(), "[" + Ones(MaxArrayElements + 1) + "]", Json, Binary(Tag));
            foreach (var n in new[] { 1000, 4000, MaxArrayElements, MaxArrayElements + 1, 6400 })
            {
                Add(category, $"same-array bomb: {n} objects, none matching (allow)", Open, Event(data: Bomb(n)));
                Add(category, $"same-array bomb: {n} objects, none matching (flag)", Demo, Event(data: Bomb(n)));
            }

            Add(category, "same-array bomb: the last of 4,000 objects matches", Open, Event(data: Bomb(3999)[..^2] + ",{\"x\":1,\"y\":2,\"z\":3}]}"));
            Add(category, "same-array bomb: arrays of arrays (63 x 63 objects)", Open,
                Event(data: "{\"a\":[" + string.Join(",", Enumerable.Repeat(Bomb(63)[5..^1], 63)) + "]}"));
            Add(category, "same-array bomb: 585 objects whose members are arrays (4,095 elements)", Open, Event(data: ArrayBomb(585)));
            Add(category, "same-array bomb: 586 objects whose members are arrays (4,102 elements)", Open, Event(data: ArrayBomb(586)));
            Add(category, "same-array bomb: 4,096 objects under redact", Redactor, Event(data: Bomb(MaxArrayElements)));
            Add(category, "batch: 40 bombs of 1,000 objects", Open,
                "[" + string.Join(",", Enumerable.Range(0, 40).Select(i => Event(id: Tag + "-" + i.ToString(CultureInfo.InvariantCulture), data: Bomb(1000)))) + "]", CeBatch);
        }

        private static string Ones(int n) => string.Join(",", Enumerable.Repeat("1", n));

        /// <summary>Data for the route <c>{"data":{"a":{"x":[1],"y":[2],"z":[3]}}}</c>: objects in one array
        /// that each hold two of the three values, so that no single object matches.</summary>
        private static string Bomb(int objects) => "{\"a\":[" + string.Join(",", Enumerable.Range(0, objects).Select(i => (i % 3) switch
        {
            0 => "{\"x\":1,\"y\":2,\"z\":0}",
            1 => "{\"x\":0,\"y\":2,\"z\":3}",
            _ => "{\"x\":1,\"y\":0,\"z\":3}",
        })) + "]}";

        /// <summary>The same with members that are arrays of two: 7 array elements per object.</summary>
        private static string ArrayBomb(int objects) => "{\"a\":[" + string.Join(",", Enumerable.Range(0, objects).Select(i => (i % 3) switch
        {
            0 => "{\"x\":[1,5],\"y\":[2,5],\"z\":[0,5]}",
            1 => "{\"x\":[0,5],\"y\":[2,5],\"z\":[3,5]}",
            _ => "{\"x\":[1,5],\"y\":[0,5],\"z\":[3,5]}",
        })) + "]}";

        // 3. Numbers and member names holding sensitive values; attributes too.
        public void NumbersAndMemberNames()
        {
            const string category = "3 numbers and member names";
            string[] numbers = [Card, "5500000000000004", "378282246310005", "4111111111111111.0", "4.111111111111111e15", "-4111111111111111", "4111111111111111e0", "41111111111111110e-1"];
            foreach (var n in numbers)
            {
                Add(category, $"number {n} in data", Scanning(), Event(data: "{\"card\":" + n + "}"));
                Add(category, $"number {n} in an array's object", Scanning(), Event(data: "{\"a\":[{\"b\":" + n + "}]}"));
                Add(category, $"number {n} as an extension", Scanning(), Event(members: "\"corpusnum\":" + n));
                Add(category, $"number {n} as an array element", Scanning(), Event(data: "[" + n + "]"));
            }

            Add(category, "the issue's example: card as a number under acme", Acme, Event(data: """{"card":4111111111111111}"""));
            Add(category, "the issue's example: e-mail as a member name under acme", Acme, Event(data: """{"john.doe@example.com":"x"}"""));
            Add(category, "ssn 123456789 as a number in a member named ssn", Scanning(), Event(data: """{"ssn":123456789}"""));
            Add(category, "data is a bare number (a card)", Scanning(), Event(data: Card));
            string[] names = [Card, "4111 1111 1111 1111", Email, "123-45-6789", "GB82WEST12345698765432", "AKIAIOSFODNN7EXAMPLE", "+14155550132"];
            foreach (var name in names)
            {
                Add(category, $"member name {name}", Scanning(), Event(data: "{\"" + name + "\":\"x\"}"));
                Add(category, $"nested member name {name}", Scanning(), Event(data: "{\"a\":{\"b\":{\"" + name + "\":1}}}"));
                Add(category, $"member name {name} in an array's object", Scanning(), Event(data: "{\"a\":[{\"" + name + "\":true}]}"));
            }

            Add(category, "card in the id", Scanning(), Event(id: Card + "-" + Tag));
            Add(category, "e-mail in the source", Scanning(), Event(source: Email));
            Add(category, "card in the type", Scanning(), Event(type: "hostile." + Card));
            Add(category, "e-mail in the subject", Scanning(), Event(subject: Email));
            Add(category, "ssn in the subject", Scanning(), Event(subject: "123-45-6789"));
            Add(category, "card in a string extension", Scanning(), Event(members: "\"corpusext\":\"" + Card + "\""));
            Add(category, "plain JSON: card as a number", Scanning(), "{\"type\":\"hostile.plain\",\"card\":" + Card + "}", Json);
            Add(category, "plain JSON: e-mail as a member name", Scanning(), "{\"type\":\"hostile.plain\",\"" + Email + "\":1}", Json);
            Add(category, "binary: card in ce-subject", Scanning(), "{}", Json, Binary(Tag, more: [H("ce-subject", Card)]));
            Add(category, "binary: e-mail in ce-source", Scanning(), "{}", Json, Binary(Tag, source: Pct(Email)));
            Add(category, "binary: card as a number", Scanning(), "{\"card\":" + Card + "}", Json, Binary(Tag));
        }

        // 4. Disguised values: other scripts' digits, invisible characters, separators, encodings.
        public void DisguisedValues()
        {
            const string category = "4 disguised values";
            var grouped = "4111 1111 1111 1111".Split(' ');
            var values = new (string Name, string Value)[]
            {
                ("full-width digits", Digits(Card, 0xFF10)),
                ("Arabic-Indic digits", Digits(Card, 0x0660)),
                ("Extended Arabic-Indic digits", Digits(Card, 0x06F0)),
                ("Devanagari digits", Digits(Card, 0x0966)),
                ("mathematical bold digits", Digits(Card, 0x1D7CE)),
                ("zero-width spaces", string.Join("\u200B", grouped)),
                ("zero-width non-joiners between every digit", string.Join("\u200C", Card.ToCharArray())),
                ("word joiners", string.Join("\u2060", grouped)),
                ("BOMs", string.Join("\uFEFF", grouped)),
                ("soft hyphens", string.Join("\u00AD", grouped)),
                ("NBSP", string.Join("\u00A0", grouped)),
                ("figure spaces", string.Join("\u2007", grouped)),
                ("narrow NBSP", string.Join("\u202F", grouped)),
                ("dots", string.Join(".", grouped)),
                ("slashes", string.Join("/", grouped)),
                ("mixed separators", "4111-1111 1111.1111"),
                ("full-width digits with NBSP", Digits(string.Join("\u00A0", grouped), 0xFF10)),
                ("percent-encoded spaces", string.Join("%20", grouped)),
                ("percent-encoded digits", string.Concat(Card.Select(c => $"%{(int)c:X2}"))),
                ("base64", Base64(Card)),
                ("base64 of the grouped card", Base64("4111 1111 1111 1111")),
                ("base64url of an e-mail", Base64(Email).TrimEnd('=').Replace('+', '-').Replace('/', '_')),
                ("full-width at sign", "john.doe\uFF20example.com"),
                ("zero-width space in an e-mail", "john.doe@example\u200B.com"),
                ("full-width letters in an e-mail", "\uFF4A\uFF4F\uFF48\uFF4E.doe@example.com"),
                ("percent-encoded at sign", "john.doe%40example.com"),
                ("soft hyphen in an e-mail", "john.d\u00ADoe@example.com"),
                ("ssn with dots", "123.45.6789"),
                ("ssn with full-width digits", Digits("123-45-6789", 0xFF10)),
                ("ssn with a zero-width space", "123\u200B-45-6789"),
                ("phone with NBSP", "+1\u00A0415\u00A0555\u00A00132"),
                ("phone with full-width digits", Digits("+1 415 555 0132", 0xFF10)),
                ("IBAN with NBSP", "GB82\u00A0WEST\u00A01234\u00A05698\u00A07654\u00A032"),
                ("IBAN with dots", "GB82.WEST.1234.5698.7654.32"),
                ("AWS key with a zero-width space", "AKIA\u200BIOSFODNN7EXAMPLE"),
            };
            foreach (var (name, value) in values)
            {
                Add(category, $"{name} in a data value", Scanning(), Event(data: "{\"v\":\"" + J(value) + "\"}"));
                Add(category, $"{name} in a member name", Scanning(), Event(data: "{\"" + J(value) + "\":1}"));
                Add(category, $"{name} in the subject", Scanning(), Event(subject: J(value)));
            }

            Add(category, "the card escaped as \\u0034\\u0031...", Scanning(), Event(data: "{\"v\":\"" + string.Concat(Card.Select(c => $"\\u{(int)c:x4}")) + "\"}"));
            Add(category, "full-width digits escaped", Scanning(), Event(data: "{\"v\":\"" + EscapeNonAscii(Digits(Card, 0xFF10)) + "\"}"));
            Add(category, "binary: full-width card in ce-subject", Scanning(), "{}", Json, Binary(Tag, more: [H("ce-subject", Pct(Digits(Card, 0xFF10)))]));
            Add(category, "binary: e-mail with a zero-width space in an extension header", Scanning(), "{}", Json,
                Binary(Tag, more: [H("ce-corpusext", Pct("john.doe@example\u200B.com"))]));
            Add(category, "plain JSON: NBSP card", Scanning(), "{\"type\":\"hostile.plain\",\"v\":\"" + string.Join("\u00A0", grouped) + "\"}", Json);
            Add(category, "data_base64 holding a card", Scanning(), Event(data: null, members: "\"datacontenttype\":\"text/plain\",\"data_base64\":\"" + Base64(Card) + "\""));
            Add(category, "data_base64 holding a base64 card", Scanning(), Event(data: null, members: "\"data_base64\":\"" + Base64(Base64(Card)) + "\""));
        }

        // 6. Empty Idempotency-Key and ce-source headers, empty attributes.
        public void EmptyHeaders()
        {
            const string category = "6 empty ids and sources";
            Add(category, "plain JSON: empty Idempotency-Key", Anyone(), """{"type":"hostile.plain"}""", Json, [H("Idempotency-Key", "")]);
            Add(category, "plain JSON: blank Idempotency-Key", Anyone(), """{"type":"hostile.plain"}""", Json, [H("Idempotency-Key", "   ")]);
            Add(category, "plain JSON: empty ce-source", Anyone(), """{"type":"hostile.plain"}""", Json, [H("Idempotency-Key", Tag), H("ce-source", "")]);
            Add(category, "plain JSON: empty ce-id", Anyone(), """{"type":"hostile.plain"}""", Json, [H("ce-id", "")]);
            Add(category, "plain JSON: empty ce-type, no type member", Anyone(), """{"n":1}""", Json, [H("ce-type", ""), H("Idempotency-Key", Tag)]);
            Add(category, "binary: empty ce-id", Anyone(), "{}", Json, Binary(""));
            Add(category, "binary: empty ce-source", Anyone(), "{}", Json, Binary(Tag, source: ""));
            Add(category, "binary: empty ce-type", Anyone(), "{}", Json, Binary(Tag, type: ""));
            Add(category, "binary: empty ce-subject", Anyone(), "{}", Json, Binary(Tag, more: [H("ce-subject", "")]));
            Add(category, "binary: percent-encoded space as ce-id", Anyone(), "{}", Json, Binary("%20"));
            Add(category, "structured: empty id", Anyone(), Event(id: ""), mutable: false);
            Add(category, "structured: empty source", Anyone(), Event(source: ""));
            Add(category, "structured: empty type", Anyone(), Event(type: ""));
            Add(category, "structured: empty subject", Anyone(), Event(subject: ""));
            Add(category, "structured: id of spaces", Anyone(), Event(id: "   "), mutable: false);
        }

        // 6. Control characters and noncharacters in type, source, subject, id and extensions.
        public void ControlCharacters()
        {
            const string category = "6 control characters";
            string[] characters = [@"\u0000", @"\u0001", @"\u0008", @"\u000b", @"\u001f", @"\u007f", @"\u0085", @"\ufffe", @"\uffff", @"\u2028", "\uFFFE"];
            foreach (var c in characters)
            {
                var shown = c == "\uFFFE" ? "raw U+FFFE" : c;
                Add(category, $"{shown} in the type", Anyone(), Event(type: "hostile." + c));
                Add(category, $"{shown} in the source", Anyone(), Event(source: "s" + c));
                Add(category, $"{shown} in the subject", Anyone(), Event(subject: "s" + c));
                Add(category, $"{shown} in the id", Anyone(), Event(id: c + Tag));
                Add(category, $"{shown} in an extension", Anyone(), Event(members: "\"corpusext\":\"v" + c + "\""));
            }

            Add(category, "binary: ce-type with %00", Anyone(), "{}", Json, Binary(Tag, type: "hostile.%00"));
            Add(category, "binary: ce-subject with %EF%BF%BE", Anyone(), "{}", Json, Binary(Tag, more: [H("ce-subject", "%EF%BF%BE")]));
            Add(category, "binary: ce-source with CR LF", Anyone(), "{}", Json, Binary(Tag, source: "s%0D%0Ax"));
            Add(category, "binary: ce-id with %07", Anyone(), "{}", Json, Binary("%07" + Tag));
            Add(category, "binary: extension with %1B", Anyone(), "{}", Json, Binary(Tag, more: [H("ce-corpusext", "%1B[31m")]));
            Add(category, "binary: invalid percent-encoding", Anyone(), "{}", Json, Binary("%G1" + Tag));
            Add(category, "plain JSON: type with \\u0000", Anyone(), """{"type":"hostile.\u0000"}""", Json, [H("Idempotency-Key", Tag)]);
        }

        // 6. Events near 256 KiB that the system's own additions or redaction would grow past it.
        public void Oversized()
        {
            const string category = "6 oversized after redaction";
            foreach (var (publisher, margin) in new[] { (Open, 40), (Demo, 40), (Redactor, 40), (Open, 1), (Open, -1), (Strict, 60) })
            {
                Add(category, $"{MaxEventBytes - margin} bytes of text", publisher, Filled(MaxEventBytes - margin, "x"));
            }

            Add(category, "redact: 250 KiB of short e-mails (each replacement is longer)", Redactor, Filled(250 * 1024, "a@b.io "));
            Add(category, "redact: 250 KiB of short e-mails in member names", Redactor,
                Event(data: "{" + string.Join(",", Enumerable.Range(0, 250 * 1024 / 16).Select(i => $"\"{i}@b.io\":1")) + "}"));
            Add(category, "redact: 120,000 raw e-acutes and one e-mail (re-escaping grows them)", Redactor,
                Filled(240 * 1024, "\u00e9", "\"m\":\"" + Email + "\""));
            Add(category, "redact: 60,000 raw CJK characters and one card", Redactor,
                Event(data: "{\"v\":\"" + new string('\u4e2d', 60_000) + "\",\"c\":\"" + Card + "\"}"));
            Add(category, "flag: 255 KiB with one e-mail (the sensitive mark grows it)", Demo, Filled(MaxEventBytes - 8, "x", "\"m\":\"" + Email + "\""));
            Add(category, "batch: one event of 255 KiB", Open, "[" + Filled(MaxEventBytes - 64, "y") + "]", CeBatch);
            Add(category, "binary: a body of 256 KiB", Open, FilledData(MaxEventBytes - 10, "z"), Json, Binary(Tag));
        }

        /// <summary>A structured event of about <paramref name="bytes"/> bytes (at most that), its data an object
        /// of strings of <paramref name="fill"/>, each under the 65,536-character limit on one string.</summary>
        private static string Filled(int bytes, string fill, string? first = null) =>
            Event(data: FilledData(bytes - BytesOf(Event(data: "")), fill, first));

        private static string FilledData(int bytes, string fill, string? first = null)
        {
            var members = first is null ? new List<string>() : [first];
            string Data(string? next) => "{" + string.Join(",", next is null ? members : [.. members, next]) + "}";
            var fillBytes = System.Text.Encoding.UTF8.GetByteCount(fill);
            while (true)
            {
                var name = "\"v" + members.Count.ToString(CultureInfo.InvariantCulture) + "\":\"";
                var count = Math.Min(60_000 / fill.Length, (bytes - BytesOf(Data(name + "\""))) / fillBytes);
                if (count <= 0)
                {
                    return Data(members.Count == 0 ? name + "\"" : null);
                }

                members.Add(name + string.Concat(Enumerable.Repeat(fill, count)) + "\"");
            }
        }

        // 5. FIFO: ids and subjects a FIFO topic refuses, ids cut at 128, one publisher's id reused by another.
        public void FifoKeys()
        {
            const string category = "5 fifo keys";
            var fifo = CorpusDefinition.FifoTypePrefix + "event";
            var cases = new (string Name, string Body)[]
            {
                ("id with spaces", Event(type: fifo, id: "order 1 " + Tag)),
                ("id with non-ASCII", Event(type: fifo, id: "commande-\u00e9t\u00e9-" + Tag)),
                ("id with an emoji", Event(type: fifo, id: "\U0001F4E6-" + Tag)),
                ("id in CJK", Event(type: fifo, id: "\u6ce8\u6587-" + Tag)),
                ("id of 200 characters", Event(type: fifo, id: new string('i', 200) + Tag)),
                ("id with XML characters", Event(type: fifo, id: "<a&b>'\\\"-" + Tag)),
                ("subject with spaces", Event(type: fifo, subject: "orders / 1")),
                ("subject with non-ASCII", Event(type: fifo, subject: "kunde-\u00fc")),
                ("subject of 1,000 characters", Event(type: fifo, subject: new string('s', 1000))),
                ("subject with a tab", Event(type: fifo, subject: "a\\tb")),
                ("partitionkey with spaces", Event(type: fifo, members: "\"partitionkey\":\"customer 7\"")),
                ("partitionkey non-ASCII", Event(type: fifo, members: "\"partitionkey\":\"\u00e5\u00e4\u00f6\"")),
                ("partitionkey empty", Event(type: fifo, members: "\"partitionkey\":\"\"")),
                ("partitionkey a number", Event(type: fifo, members: "\"partitionkey\":12345678901234567890")),
                ("partitionkey of 300 characters", Event(type: fifo, members: "\"partitionkey\":\"" + new string('p', 300) + "\"")),
                ("a plain FIFO event", Event(type: fifo)),
            };
            foreach (var (name, body) in cases)
            {
                Add(category, name, Anyone(), body);
            }

            for (var pair = 0; pair < 4; pair++)
            {
                // Two different ids that agree in their first 128 characters, from one publisher.
                var prefix = ("fifo-long-" + pair.ToString(CultureInfo.InvariantCulture) + "-").PadRight(128, 'L');
                var publisher = Anyone();
                Add(category, $"pair {pair}: a 140-character id", publisher, Event(type: fifo, id: prefix + "-first-" + Tag));
                Add(category, $"pair {pair}: another 140-character id with the same first 128", publisher, Event(type: fifo, id: prefix + "-second-" + Tag));

                // One id used by two publishers: each is its own event.
                var shared = "fifo-shared-" + pair.ToString(CultureInfo.InvariantCulture);
                Add(category, $"pair {pair}: id {shared} from demo", Demo, Event(type: fifo, id: shared), mutable: false);
                Add(category, $"pair {pair}: id {shared} from another publisher", pair % 2 == 0 ? Open : Redactor, Event(type: fifo, id: shared), mutable: false);
            }
        }

        // 9. Identity: reserved extensions, the caller's trace context, another publisher's name as source, keys.
        public void Identity()
        {
            const string category = "9 identity";
            const string traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
            string[] reserved = ["\"replayed\":true", "\"replayed\":\"true\"", $"\"traceparent\":\"{traceparent}\"", "\"tracestate\":\"congo=t61rcWkgMzE\"",
                "\"publisher\":\"acme\"", "\"sensitive\":false", "\"redacted\":false", "\"replayed\":true,\"traceparent\":\"00-zz-zz-zz\""];
            foreach (var member in reserved)
            {
                Add(category, "extension " + member, Anyone(), Event(members: member));
            }

            Add(category, "binary: ce-replayed", Anyone(), "{}", Json, Binary(Tag, more: [H("ce-replayed", "true")]));
            Add(category, "binary: ce-traceparent", Anyone(), "{}", Json, Binary(Tag, more: [H("ce-traceparent", traceparent)]));
            Add(category, "binary: ce-tracestate", Anyone(), "{}", Json, Binary(Tag, more: [H("ce-tracestate", "congo=t61rcWkgMzE")]));
            Add(category, "binary: ce-publisher acme", Anyone(), "{}", Json, Binary(Tag, more: [H("ce-publisher", "acme")]));
            Add(category, "caller traceparent header", Anyone(), Event(), headers: [H("traceparent", traceparent)]);
            Add(category, "caller traceparent and tracestate headers", Anyone(), Event(), headers: [H("traceparent", traceparent), H("tracestate", "congo=t61rcWkgMzE")]);
            Add(category, "malformed traceparent header", Anyone(), Event(), headers: [H("traceparent", "00-zzzz-01")]);
            Add(category, "all-zero traceparent header", Anyone(), Event(), headers: [H("traceparent", "00-00000000000000000000000000000000-0000000000000000-01")]);
            Add(category, "traceparent header of 10,000 characters", Anyone(), Event(), headers: [H("traceparent", "00-" + new string('a', 10_000))]);
            Add(category, "plain JSON from demo with ce-source acme", Demo, """{"type":"hostile.plain"}""", Json, [H("Idempotency-Key", Tag), H("ce-source", "acme")]);
            Add(category, "plain JSON from open with ce-source demo", Open, """{"type":"hostile.plain"}""", Json, [H("Idempotency-Key", Tag), H("ce-source", "demo")]);
            Add(category, "structured source acme from demo", Demo, Event(source: "acme"));
            Add(category, "binary ce-source strict from open", Open, "{}", Json, Binary(Tag, source: "strict"));
            Add(category, "source acme under acme's own key", Acme, Event(source: "acme"));

            foreach (var publisher in new[] { Demo, Acme, Open, Redactor, Strict })
            {
                Add(category, $"a plain event with {publisher}'s key", publisher, Event(type: "hostile.keys"));
            }

            foreach (var (name, key) in new[] { ("no key", ""), ("unknown key", "not-a-key-0000000000000000000000000"), ("dev-demo-key", "dev-demo-key"),
                         ("dev-acme-key", "dev-acme-key"), ("a key of 10,000 characters", new string('k', 10_000)) })
            {
                Add(category, name, Demo, Event(type: "hostile.keys"), apiKey: key, mutable: false);
            }
        }

        // The four forms, and what is not one of them.
        public void FormsAndContentTypes()
        {
            const string category = "forms and content types";
            foreach (var contentType in new[] { "text/plain", "application/xml", Ce + "; charset=latin1", Json + "; charset=utf-16", "APPLICATION/CLOUDEVENTS+JSON",
                         "multipart/form-data; boundary=x", "application/cloudevents+xml", "application/x-www-form-urlencoded", "*/*" })
            {
                Add(category, "a valid event as " + contentType, Anyone(), Event(), contentType, mutable: false);
            }

            Add(category, "no content type", Anyone(), Event(), null, mutable: false);
            Add(category, "an object as a batch", Anyone(), Event(), CeBatch);
            Add(category, "an array as one event", Anyone(), "[" + Event() + "]", Ce, mutable: false);
            Add(category, "an empty batch", Anyone(), "[]", CeBatch);
            Add(category, "a batch of non-events", Anyone(), "[1,\"x\",null,[],{}]", CeBatch);
            Add(category, "a batch of 100 events", Open,
                "[" + string.Join(",", Enumerable.Range(0, 100).Select(i => Event(id: Tag + "-" + i.ToString(CultureInfo.InvariantCulture)))) + "]", CeBatch);
            Add(category, "a batch of 100 lone surrogates", Open,
                "[" + string.Join(",", Enumerable.Range(0, 100).Select(i => Event(id: Tag + "-" + i.ToString(CultureInfo.InvariantCulture), data: "{\"x\":\"probe-\\ud800\"}"))) + "]", CeBatch);
            Add(category, "trailing garbage", Anyone(), Event() + "garbage");
            Add(category, "two events concatenated", Anyone(), Event() + Event(id: Tag + "-2"));
            Add(category, "a byte-order mark", Anyone(), "\uFEFF" + Event());
            Add(category, "invalid data_base64", Anyone(), Event(data: null, members: "\"data_base64\":\"!!!\""));
            Add(category, "data_base64 of invalid UTF-8 as text", Anyone(), Event(data: null, members: "\"datacontenttype\":\"text/plain\",\"data_base64\":\"7aCA\""));
            Add(category, "text data with a JSON content type", Anyone(), Event(data: "\"text\"", members: "\"datacontenttype\":\"application/xml\""));
            Add(category, "specversion 0.3", Anyone(), Event().Replace("\"1.0\"", "\"0.3\"", StringComparison.Ordinal));
            Add(category, "specversion a number", Anyone(), Event().Replace("\"1.0\"", "1.0", StringComparison.Ordinal));
            Add(category, "id a number", Anyone(), """{"specversion":"1.0","id":1,"source":"s","type":"hostile.event"}""", mutable: false);
            Add(category, "extension an object", Anyone(), Event(members: "\"corpusext\":{\"a\":1}"));
            Add(category, "extension name in upper case", Anyone(), Event(members: "\"CorpusExt\":\"v\""));
            Add(category, "extension name of 100 characters", Anyone(), Event(members: "\"" + new string('e', 100) + "\":\"v\""));
            Add(category, "binary: text/plain body", Anyone(), "hello", "text/plain", Binary(Tag));
            Add(category, "binary: ce-specversion 0.3", Anyone(), "{}", Json, [H("ce-specversion", "0.3"), H("ce-id", Tag), H("ce-source", "s"), H("ce-type", "t")]);
            Add(category, "binary: invalid JSON body", Anyone(), "{\"a\":", Json, Binary(Tag));
            Add(category, "plain JSON: no type", Anyone(), "{\"n\":1}", Json, [H("Idempotency-Key", Tag)]);
            Add(category, "plain JSON: type a number", Anyone(), "{\"type\":7}", Json, [H("Idempotency-Key", Tag)]);
            Add(category, "plain JSON: an array", Anyone(), "[{\"type\":\"hostile.plain\"}]", Json, [H("Idempotency-Key", Tag)]);
            Add(category, "plain JSON: Idempotency-Key of 300 characters", Anyone(), "{\"type\":\"hostile.plain\"}", Json, [H("Idempotency-Key", new string('k', 300))]);
            Add(category, "a normal order from each policy (valid schema)", Anyone(), Event(type: "order.created", data: "{\"orderId\":7}"));
        }
    }
}
