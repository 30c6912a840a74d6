namespace Greeter.Dependency;

public static class Salutation
{
    public static string Compose(string greeting, string name) => $"{greeting}, {name}";
}
