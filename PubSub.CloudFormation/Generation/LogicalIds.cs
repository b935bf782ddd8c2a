using System.Globalization;
using System.Text;

namespace PubSub.CloudFormation.Generation;

/// <summary>Logical ids from the definition's names: CloudFormation allows letters and digits only,
/// so "orders.fifo" becomes "OrdersFifo" and "order-events" "OrderEvents".</summary>
internal static class LogicalIds
{
    public static string Of(string prefix, string name, string suffix = "")
    {
        var id = new StringBuilder(prefix);
        var upper = true;
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                id.Append(upper ? char.ToUpper(c, CultureInfo.InvariantCulture) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }

        return id.Append(suffix).ToString();
    }
}
