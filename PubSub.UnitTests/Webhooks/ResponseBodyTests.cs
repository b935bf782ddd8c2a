using System.Text;
using PubSub.Webhooks.Delivery;

namespace PubSub.UnitTests.Webhooks;

public sealed class ResponseBodyTests
{
    [Fact]
    public async Task At_most_one_KiB_is_read_from_a_longer_body()
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes(new string('a', 5000)));

        var body = await ResponseBody.ReadStartAsync(stream, CancellationToken.None);

        Assert.Equal(1024, body.Length);
        Assert.Equal(1024, stream.Position);
    }

    [Fact]
    public async Task A_short_body_is_kept_whole()
    {
        var body = await ResponseBody.ReadStartAsync(new MemoryStream("ok"u8.ToArray()), CancellationToken.None);

        Assert.Equal("ok", body);
    }

    [Theory]
    [InlineData("é", 1023)]
    [InlineData("€", 1022)]
    [InlineData("😀", 1021)]
    public void A_character_cut_by_the_limit_is_dropped_not_mangled(string wide, int pad)
    {
        var bytes = Encoding.UTF8.GetBytes(new string('a', pad) + wide + wide);

        var text = ResponseBody.Decode(bytes.AsSpan(0, 1024));

        Assert.Equal(new string('a', pad), text);
        Assert.DoesNotContain('\uFFFD', text);
    }

    [Fact]
    public void Whole_characters_at_the_end_are_kept()
    {
        var bytes = Encoding.UTF8.GetBytes(new string('a', 1022) + "é");

        Assert.EndsWith("é", ResponseBody.Decode(bytes));
    }
}
